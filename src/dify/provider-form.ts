// The Dify provider credential form: one row per setting of config/settings.ts that a Dify user sets.
// Pure data; declarations.ts turns it into `credentials_for_provider` (YAML) and `credentials_schema` (JSON).
import type { I18nText } from '../tools/tool-declaration.js';

/** Credential field types the daemon accepts (dify-plugin-daemon pkg/entities/plugin_entities/config.go). */
export type CredentialType = 'text-input' | 'secret-input' | 'select';

/** One field of the provider credential form. `name` is a key of the settings schema. */
export interface CredentialField {
  name: string;
  type: CredentialType;
  required: boolean;
  default?: string;
  options?: Array<{ value: string; label: I18nText }>;
  label: I18nText;
  help: I18nText;
  placeholder: I18nText;
  url?: string;
}

const same = (text: string): I18nText => ({ en_US: text, zh_Hans: text, ja_JP: text, pt_BR: text });
const ACCESS_KEY_DOCS = 'https://help.aliyun.com/zh/ram/user-guide/create-an-accesskey-pair';
const ENDPOINT_DOCS = 'https://help.aliyun.com/zh/oss/user-guide/regions-and-endpoints';

/**
 * The form, in display order. The first four are the original plugin's fields, same names and order
 * (seed-behaviour.md §2); the rest map one to one onto settings of the same name.
 */
export const PROVIDER_CREDENTIALS: readonly CredentialField[] = [
  {
    name: 'access_key_id',
    type: 'text-input',
    required: true,
    label: {
      en_US: 'AccessKey ID',
      zh_Hans: 'AccessKey ID',
      ja_JP: 'AccessKey ID',
      pt_BR: 'ID da AccessKey',
    },
    help: {
      en_US: 'AccessKey ID of a RAM user that may read and write the bucket',
      zh_Hans: '有权读写该 Bucket 的 RAM 用户的 AccessKey ID',
      ja_JP: 'バケットの読み書き権限を持つ RAM ユーザーの AccessKey ID',
      pt_BR: 'AccessKey ID de um usuário RAM com leitura e escrita no bucket',
    },
    placeholder: {
      en_US: 'Your AccessKey ID',
      zh_Hans: '请输入 AccessKey ID',
      ja_JP: 'AccessKey ID を入力',
      pt_BR: 'Seu AccessKey ID',
    },
    url: ACCESS_KEY_DOCS,
  },
  {
    name: 'access_key_secret',
    type: 'secret-input',
    required: true,
    label: {
      en_US: 'AccessKey Secret',
      zh_Hans: 'AccessKey Secret',
      ja_JP: 'AccessKey Secret',
      pt_BR: 'Segredo da AccessKey',
    },
    help: {
      en_US: 'Stored encrypted by Dify; never logged or returned by a tool',
      zh_Hans: '由 Dify 加密保存，不会被记录到日志或由工具返回',
      ja_JP: 'Dify が暗号化して保存し、ログやツールの出力には含まれません',
      pt_BR: 'Guardado criptografado pelo Dify; nunca registrado nem devolvido por uma ferramenta',
    },
    placeholder: {
      en_US: 'Your AccessKey Secret',
      zh_Hans: '请输入 AccessKey Secret',
      ja_JP: 'AccessKey Secret を入力',
      pt_BR: 'Seu segredo da AccessKey',
    },
    url: ACCESS_KEY_DOCS,
  },
  {
    name: 'endpoint',
    type: 'text-input',
    required: true,
    label: { en_US: 'Endpoint', zh_Hans: '访问域名', ja_JP: 'エンドポイント', pt_BR: 'Endpoint' },
    help: {
      en_US: 'OSS endpoint of the bucket region; https is used unless you write http://',
      zh_Hans: 'Bucket 所在地域的 OSS 访问域名；除非写明 http://，否则使用 https',
      ja_JP: 'バケットのリージョンの OSS エンドポイント。http:// と書かない限り https を使います',
      pt_BR: 'Endpoint OSS da região do bucket; usa https, a menos que você escreva http://',
    },
    placeholder: same('oss-cn-hangzhou.aliyuncs.com'),
    url: ENDPOINT_DOCS,
  },
  {
    name: 'bucket',
    type: 'text-input',
    required: true,
    label: { en_US: 'Bucket Name', zh_Hans: '存储空间名称', ja_JP: 'バケット名', pt_BR: 'Nome do Bucket' },
    help: {
      en_US: 'Name of the bucket the tools read and write',
      zh_Hans: '工具读写的 Bucket 名称',
      ja_JP: 'ツールが読み書きするバケットの名前',
      pt_BR: 'Nome do bucket que as ferramentas leem e escrevem',
    },
    placeholder: same('my-bucket'),
  },
  {
    name: 'region',
    type: 'text-input',
    required: false,
    label: { en_US: 'Region', zh_Hans: '地域', ja_JP: 'リージョン', pt_BR: 'Região' },
    help: {
      en_US: 'Region ID for Signature V4; leave empty to derive it from the endpoint',
      zh_Hans: 'V4 签名使用的地域 ID；留空则从访问域名推断',
      ja_JP: '署名 V4 のリージョン ID。空欄ならエンドポイントから推定します',
      pt_BR: 'ID da região para a assinatura V4; deixe vazio para deduzi-la do endpoint',
    },
    placeholder: same('cn-hangzhou'),
    url: ENDPOINT_DOCS,
  },
  {
    name: 'security_token',
    type: 'secret-input',
    required: false,
    label: {
      en_US: 'STS Security Token',
      zh_Hans: 'STS 安全令牌',
      ja_JP: 'STS セキュリティトークン',
      pt_BR: 'Token STS',
    },
    help: {
      en_US: 'Only for temporary STS credentials; it expires, so long-lived RAM keys suit Dify better',
      zh_Hans: '仅用于 STS 临时凭证；令牌会过期，长期使用建议 RAM 用户密钥',
      ja_JP: 'STS の一時認証情報の場合のみ。期限切れになるため、通常は RAM キーが適しています',
      pt_BR: 'Só para credenciais temporárias STS; expira, então chaves RAM duradouras servem melhor',
    },
    placeholder: {
      en_US: 'Leave empty for RAM user keys',
      zh_Hans: '使用 RAM 用户密钥时留空',
      ja_JP: 'RAM ユーザーのキーなら空欄',
      pt_BR: 'Deixe vazio para chaves de usuário RAM',
    },
    url: 'https://help.aliyun.com/zh/oss/developer-reference/use-temporary-access-credentials-provided-by-sts-to-access-oss',
  },
  {
    name: 'custom_domain',
    type: 'text-input',
    required: false,
    label: {
      en_US: 'Custom Domain',
      zh_Hans: '自定义域名',
      ja_JP: 'カスタムドメイン',
      pt_BR: 'Domínio personalizado',
    },
    help: {
      en_US: 'A domain bound to the bucket (CNAME); returned links and requests use it',
      zh_Hans: '绑定到该 Bucket 的自定义域名（CNAME）；返回的链接和请求将使用它',
      ja_JP: 'バケットに関連付けたドメイン（CNAME）。返すリンクとリクエストに使います',
      pt_BR: 'Domínio ligado ao bucket (CNAME); links e requisições o usam',
    },
    placeholder: same('https://files.example.com'),
    url: 'https://help.aliyun.com/zh/oss/user-guide/map-custom-domain-names-5',
  },
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
    placeholder: same('Asia/Shanghai'),
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
    placeholder: same('rename'),
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
    placeholder: same('20'),
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
    placeholder: same('100'),
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
    placeholder: same('example.com, cdn.example.com'),
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
    placeholder: same('dify/'),
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
    placeholder: same('false'),
  },
];
