// The policy half of the Dify provider form: what the tools may do once connected (time zone of date
// folders, overwrite policy, batch and download limits, SSRF allow-list, key scope, deletes).
import { sameText } from '../tools/tool-declaration.js';
import type { CredentialField } from './provider-form.js';

/** Policy fields, in display order after the connection fields of provider-form.ts. */
export const POLICY_FIELDS: readonly CredentialField[] = [
  {
    name: 'timezone',
    type: 'text-input',
    required: false,
    default: 'UTC',
    label: { en_US: 'Time Zone', zh_Hans: '时区', ja_JP: 'タイムゾーン', pt_BR: 'Fuso horário' },
    help: {
      en_US: 'IANA time zone for date folders (yyyy/mm/dd) and timestamps in file names',
      zh_Hans: '日期目录（yyyy/mm/dd）和文件名时间戳使用的 IANA 时区',
      ja_JP: '日付フォルダー（yyyy/mm/dd）とファイル名のタイムスタンプに使う IANA タイムゾーン',
      pt_BR: 'Fuso IANA para pastas por data (yyyy/mm/dd) e carimbos nos nomes',
    },
    placeholder: sameText('Asia/Shanghai'),
  },
  {
    name: 'overwrite',
    type: 'select',
    required: false,
    default: 'rename',
    options: [
      {
        value: 'rename',
        label: {
          en_US: 'Rename (name-1.ext)',
          zh_Hans: '重命名（name-1.ext）',
          ja_JP: '名前を変更（name-1.ext）',
          pt_BR: 'Renomear (nome-1.ext)',
        },
      },
      {
        value: 'overwrite',
        label: { en_US: 'Overwrite', zh_Hans: '覆盖', ja_JP: '上書き', pt_BR: 'Sobrescrever' },
      },
      { value: 'fail', label: { en_US: 'Fail', zh_Hans: '报错', ja_JP: 'エラーにする', pt_BR: 'Falhar' } },
    ],
    label: {
      en_US: 'When the Key Exists',
      zh_Hans: '对象已存在时',
      ja_JP: 'キーが既に存在する場合',
      pt_BR: 'Se a chave existir',
    },
    help: {
      en_US: 'What an upload does when an object with the same key exists; nothing is lost by default',
      zh_Hans: '上传时同名对象已存在的处理方式；默认不会覆盖任何数据',
      ja_JP: '同じキーのオブジェクトがある場合のアップロード動作。既定では何も失われません',
      pt_BR: 'O que o envio faz se já existir um objeto com a mesma chave; por padrão nada se perde',
    },
    placeholder: sameText('rename'),
  },
  {
    name: 'max_files',
    type: 'text-input',
    required: false,
    default: '20',
    label: {
      en_US: 'Max Files per Call',
      zh_Hans: '单次最多文件数',
      ja_JP: '1 回の最大ファイル数',
      pt_BR: 'Máx. de arquivos por chamada',
    },
    help: {
      en_US: 'Upper bound for batch tools (1-1000)',
      zh_Hans: '批量工具的文件数上限（1-1000）',
      ja_JP: '一括ツールの上限（1〜1000）',
      pt_BR: 'Limite das ferramentas em lote (1-1000)',
    },
    placeholder: sameText('20'),
  },
  {
    name: 'max_download_mb',
    type: 'text-input',
    required: false,
    default: '100',
    label: {
      en_US: 'Max Download Size (MB)',
      zh_Hans: '最大下载大小（MB）',
      ja_JP: '最大ダウンロードサイズ（MB）',
      pt_BR: 'Tamanho máx. de download (MB)',
    },
    help: {
      en_US: 'Downloads larger than this fail before any byte is kept',
      zh_Hans: '超过该大小的下载会被拒绝',
      ja_JP: 'これより大きいダウンロードは失敗します',
      pt_BR: 'Downloads maiores que isso falham',
    },
    placeholder: sameText('100'),
  },
  {
    name: 'public_download_allowed_hosts',
    type: 'text-input',
    required: false,
    label: {
      en_US: 'Allowed Public Download Hosts',
      zh_Hans: '允许的公网下载主机',
      ja_JP: '公開ダウンロードを許可するホスト',
      pt_BR: 'Hosts permitidos para download público',
    },
    help: {
      en_US:
        'Comma-separated hosts get_public_file_by_url may fetch; empty allows any public host, never private addresses',
      zh_Hans: 'get_public_file_by_url 可访问的主机，逗号分隔；留空允许任意公网主机，内网地址始终禁止',
      ja_JP:
        'get_public_file_by_url が取得できるホスト（カンマ区切り）。空なら任意の公開ホスト。プライベートアドレスは常に禁止',
      pt_BR:
        'Hosts separados por vírgula que get_public_file_by_url pode baixar; vazio permite qualquer host público, nunca endereços privados',
    },
    placeholder: sameText('example.com, cdn.example.com'),
  },
  {
    name: 'key_prefix_scope',
    type: 'text-input',
    required: false,
    label: {
      en_US: 'Key Prefix Scope',
      zh_Hans: '对象前缀范围',
      ja_JP: 'キープレフィックスの範囲',
      pt_BR: 'Escopo de prefixo de chave',
    },
    help: {
      en_US: 'If set, tools only read and write keys under this prefix',
      zh_Hans: '设置后，工具只读写该前缀下的对象',
      ja_JP: '設定すると、ツールはこのプレフィックス配下のキーだけを読み書きします',
      pt_BR: 'Se definido, as ferramentas só leem e escrevem chaves sob este prefixo',
    },
    placeholder: sameText('dify/'),
  },
  {
    name: 'allow_delete',
    type: 'select',
    required: false,
    default: 'false',
    options: [
      { value: 'false', label: { en_US: 'No', zh_Hans: '否', ja_JP: 'いいえ', pt_BR: 'Não' } },
      { value: 'true', label: { en_US: 'Yes', zh_Hans: '是', ja_JP: 'はい', pt_BR: 'Sim' } },
    ],
    label: {
      en_US: 'Allow Deleting Objects',
      zh_Hans: '允许删除对象',
      ja_JP: 'オブジェクトの削除を許可',
      pt_BR: 'Permitir excluir objetos',
    },
    help: {
      en_US: 'Tools that delete objects refuse to run unless this is Yes',
      zh_Hans: '未设为“是”时，删除对象的工具会拒绝执行',
      ja_JP: '「はい」でない限り、削除を行うツールは実行されません',
      pt_BR: 'Ferramentas que excluem objetos só rodam se isto for Sim',
    },
    placeholder: sameText('false'),
  },
];
