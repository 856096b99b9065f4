// Form metadata (four locales) of the parameters the upload tools share, with the original plugin's
// names, defaults and options (seed-behaviour.md §4.1), and the zod fields that validate the shared ones.
import { DIRECTORY_MODES, FILENAME_MODES } from './object-key.js';
import {
  choice,
  DEFAULT_SIGN_EXPIRES_SECONDS,
  flag,
  MAX_SIGN_EXPIRES_SECONDS,
  requiredText,
  signExpires,
} from './params.js';
import type { ParamSpec } from './tool-declaration.js';

/** zod fields of every upload tool's shared parameters (spread into each tool's own schema). */
export const UPLOAD_MODE_FIELDS = {
  directory: requiredText(),
  filename_mode: choice(FILENAME_MODES, 'filename'),
  directory_mode: choice(DIRECTORY_MODES, 'no_subdirectory'),
  signed: flag(false),
  sign_expired: signExpires(),
};

/** `file` of upload_file. */
export const FILE_PARAM: ParamSpec = {
  name: 'file',
  type: 'file',
  form: 'llm',
  required: true,
  label: { en_US: 'File', zh_Hans: '文件', ja_JP: 'ファイル', pt_BR: 'Arquivo' },
  humanDescription: {
    en_US: 'The file to upload to OSS',
    zh_Hans: '要上传到 OSS 的文件',
    ja_JP: 'OSS にアップロードするファイル',
    pt_BR: 'O arquivo a enviar para o OSS',
  },
  llmDescription: 'The file to upload to Alibaba Cloud OSS.',
};

/** `files` of multi_upload_files. */
export const FILES_PARAM: ParamSpec = {
  name: 'files',
  type: 'files',
  form: 'llm',
  required: true,
  label: { en_US: 'Files', zh_Hans: '文件列表', ja_JP: 'ファイル', pt_BR: 'Arquivos' },
  humanDescription: {
    en_US: 'The files to upload to OSS (up to the max_files setting, 20 by default)',
    zh_Hans: '要上传到 OSS 的文件（数量上限见 max_files 设置，默认 20 个）',
    ja_JP: 'OSS にアップロードするファイル（最大数は max_files 設定、既定 20）',
    pt_BR: 'Os arquivos a enviar para o OSS (até o limite max_files, 20 por padrão)',
  },
  llmDescription: 'The files to upload to Alibaba Cloud OSS; each is stored under the same directory rules.',
};

/** `directory`. */
export const DIRECTORY_PARAM: ParamSpec = {
  name: 'directory',
  type: 'string',
  form: 'llm',
  required: true,
  label: {
    en_US: 'Directory (e.g. test)',
    zh_Hans: '一级目录（例如：test）',
    ja_JP: 'ディレクトリ（例：test）',
    pt_BR: 'Diretório (ex.: test)',
  },
  humanDescription: {
    en_US:
      'Directory (key prefix) in the bucket; may contain "/" but must not start with "/" or "\\" or contain ".."',
    zh_Hans: 'Bucket 中的目录（对象键前缀），可包含“/”，但不能以“/”或“\\”开头，也不能包含“..”',
    ja_JP:
      'バケット内のディレクトリ（キーの接頭辞）。「/」を含められますが、「/」や「\\」で始めたり「..」を含めたりはできません',
    pt_BR:
      'Diretório (prefixo da chave) no bucket; pode conter "/", mas não pode começar com "/" ou "\\" nem conter ".."',
  },
  llmDescription:
    'Directory (object key prefix) in the bucket, for example "reports" or "reports/2025". Must not start with "/" or contain "..".',
  placeholder: { en_US: 'test', zh_Hans: 'test', ja_JP: 'test', pt_BR: 'test' },
};

/** `filename` (upload_file only). */
export const FILENAME_PARAM: ParamSpec = {
  name: 'filename',
  type: 'string',
  form: 'llm',
  required: false,
  label: {
    en_US: 'Custom Filename',
    zh_Hans: '自定义文件名',
    ja_JP: 'カスタムファイル名',
    pt_BR: 'Nome de Arquivo Personalizado',
  },
  humanDescription: {
    en_US: 'Name to store the file under; without an extension, the original extension is kept',
    zh_Hans: '存储时使用的文件名；未写扩展名时沿用原文件的扩展名',
    ja_JP: '保存時のファイル名。拡張子がない場合は元のファイルの拡張子を使います',
    pt_BR: 'Nome com que o arquivo é armazenado; sem extensão, a extensão original é mantida',
  },
  llmDescription:
    'Optional name to store the file under, e.g. "summary.pdf". Leave empty to keep the original name.',
};

/** `filename_mode`. */
export const FILENAME_MODE_PARAM: ParamSpec = {
  name: 'filename_mode',
  type: 'select',
  form: 'llm',
  required: false,
  default: 'filename',
  options: [
    {
      value: 'filename',
      label: { en_US: 'Filename', zh_Hans: '纯文件名', ja_JP: 'ファイル名', pt_BR: 'Nome do Arquivo' },
    },
    {
      value: 'filename_timestamp',
      label: {
        en_US: 'Filename + Timestamp',
        zh_Hans: '文件名+时间戳数字',
        ja_JP: 'ファイル名＋タイムスタンプ',
        pt_BR: 'Nome do Arquivo + Carimbo de Data/Hora',
      },
    },
  ],
  label: {
    en_US: 'Filename Mode',
    zh_Hans: '文件名模式',
    ja_JP: 'ファイル名モード',
    pt_BR: 'Modo do Nome do Arquivo',
  },
  humanDescription: {
    en_US: 'Store the name as is, or append a timestamp (name_YYYYMMDDHHMMSSmmm.ext)',
    zh_Hans: '按原名存储，或追加时间戳（name_YYYYMMDDHHMMSSmmm.ext）',
    ja_JP: '名前をそのまま使うか、タイムスタンプを付けます（name_YYYYMMDDHHMMSSmmm.ext）',
    pt_BR: 'Armazenar o nome como está ou acrescentar um carimbo de data/hora (name_YYYYMMDDHHMMSSmmm.ext)',
  },
  llmDescription:
    '"filename" keeps the name; "filename_timestamp" appends _YYYYMMDDHHMMSSmmm before the extension.',
};

/** `directory_mode`. */
export const DIRECTORY_MODE_PARAM: ParamSpec = {
  name: 'directory_mode',
  type: 'select',
  form: 'llm',
  required: false,
  default: 'no_subdirectory',
  options: [
    {
      value: 'no_subdirectory',
      label: {
        en_US: 'No Subdirectory',
        zh_Hans: '无子目录',
        ja_JP: 'サブディレクトリなし',
        pt_BR: 'Sem Subdiretório',
      },
    },
    {
      value: 'yyyy_mm_dd_hierarchy',
      label: {
        en_US: 'Year/Month/Day Hierarchy',
        zh_Hans: '年月日层级子目录',
        ja_JP: '年/月/日の階層',
        pt_BR: 'Hierarquia Ano/Mês/Dia',
      },
    },
    {
      value: 'yyyy_mm_dd_combined',
      label: {
        en_US: 'Combined Date Directory',
        zh_Hans: '年月日一体子目录',
        ja_JP: '日付を結合したディレクトリ',
        pt_BR: 'Diretório de Data Combinada',
      },
    },
  ],
  label: {
    en_US: 'Directory Mode',
    zh_Hans: '目录模式',
    ja_JP: 'ディレクトリモード',
    pt_BR: 'Modo de Diretório',
  },
  humanDescription: {
    en_US: 'Date folders under the directory (dir/YYYY/MM/DD or dir/YYYYMMDD), in the configured time zone',
    zh_Hans: '在目录下按日期建子目录（dir/YYYY/MM/DD 或 dir/YYYYMMDD），使用配置的时区',
    ja_JP:
      'ディレクトリの下に日付フォルダを作ります（dir/YYYY/MM/DD または dir/YYYYMMDD、設定のタイムゾーン）',
    pt_BR: 'Pastas de data sob o diretório (dir/YYYY/MM/DD ou dir/YYYYMMDD), no fuso horário configurado',
  },
  llmDescription:
    '"no_subdirectory" stores in the directory; "yyyy_mm_dd_hierarchy" adds YYYY/MM/DD/; "yyyy_mm_dd_combined" adds YYYYMMDD/.',
};

/** `signed`. */
export const SIGNED_PARAM: ParamSpec = {
  name: 'signed',
  type: 'boolean',
  form: 'llm',
  required: false,
  default: false,
  label: { en_US: 'Signed URL', zh_Hans: '签名', ja_JP: '署名付き URL', pt_BR: 'URL Assinada' },
  humanDescription: {
    en_US: 'Return a presigned URL (needed for private buckets); off by default',
    zh_Hans: '返回预签名 URL（私有 Bucket 需要），默认关闭',
    ja_JP: '署名付き URL を返します（非公開バケットで必要）。既定はオフ',
    pt_BR: 'Retornar uma URL pré-assinada (necessária para buckets privados); desativado por padrão',
  },
  llmDescription: 'Set true to return a time-limited presigned URL, needed when the bucket is private.',
};

/** `sign_expired`. */
export const SIGN_EXPIRED_PARAM: ParamSpec = {
  name: 'sign_expired',
  type: 'number',
  form: 'llm',
  required: false,
  default: DEFAULT_SIGN_EXPIRES_SECONDS,
  min: 1,
  max: MAX_SIGN_EXPIRES_SECONDS,
  label: {
    en_US: 'Signature Expiry (seconds)',
    zh_Hans: '签名有效期（秒）',
    ja_JP: '署名の有効期間（秒）',
    pt_BR: 'Validade da assinatura (segundos)',
  },
  humanDescription: {
    en_US: 'How long the signed URL stays valid, 1 to 604800 seconds (7 days); default 3600',
    zh_Hans: '签名 URL 的有效时间，1 到 604800 秒（7 天），默认 3600',
    ja_JP: '署名付き URL の有効期間。1〜604800 秒（7 日）、既定 3600',
    pt_BR: 'Por quanto tempo a URL assinada vale, de 1 a 604800 segundos (7 dias); padrão 3600',
  },
  llmDescription:
    'Lifetime of the signed URL in seconds (1..604800, default 3600). Only used when signed is true.',
};
