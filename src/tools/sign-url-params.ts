// Form metadata (four locales) of sign_url's own parameters; validation lives in sign-url.ts's schema.
import { DEFAULT_SIGN_EXPIRES_SECONDS, MAX_SIGN_EXPIRES_SECONDS } from './params.js';
import type { ParamSpec } from './tool-declaration.js';

/** `method`, `expires`, `content_type` and `download_filename` of sign_url, in form order. */
export const SIGN_URL_PARAMS: ParamSpec[] = [
  {
    name: 'method',
    type: 'select',
    form: 'llm',
    required: false,
    default: 'GET',
    options: [
      {
        value: 'GET',
        label: {
          en_US: 'GET (download)',
          zh_Hans: 'GET（下载）',
          ja_JP: 'GET（ダウンロード）',
          pt_BR: 'GET (baixar)',
        },
      },
      {
        value: 'PUT',
        label: {
          en_US: 'PUT (upload)',
          zh_Hans: 'PUT（上传）',
          ja_JP: 'PUT（アップロード）',
          pt_BR: 'PUT (enviar)',
        },
      },
    ],
    label: { en_US: 'Method', zh_Hans: '请求方法', ja_JP: 'メソッド', pt_BR: 'Método' },
    humanDescription: {
      en_US: 'GET gives a download link; PUT gives a link that uploads into this key',
      zh_Hans: 'GET 生成下载链接；PUT 生成向该对象键上传的链接',
      ja_JP: 'GET はダウンロード用リンク、PUT はこのキーへアップロードするためのリンクを作ります',
      pt_BR: 'GET gera um link de download; PUT gera um link que envia para esta chave',
    },
    llmDescription: '"GET" (default) for a download link, "PUT" for an upload link.',
  },
  {
    name: 'expires',
    type: 'number',
    form: 'llm',
    required: false,
    default: DEFAULT_SIGN_EXPIRES_SECONDS,
    min: 1,
    max: MAX_SIGN_EXPIRES_SECONDS,
    label: {
      en_US: 'Expires In (seconds)',
      zh_Hans: '有效期（秒）',
      ja_JP: '有効期間（秒）',
      pt_BR: 'Expira Em (segundos)',
    },
    humanDescription: {
      en_US: 'How long the URL stays valid, 1 to 604800 seconds (7 days); default 3600',
      zh_Hans: '链接有效时间，1 到 604800 秒（7 天），默认 3600',
      ja_JP: 'URL の有効期間。1〜604800 秒（7 日）、既定 3600',
      pt_BR: 'Por quanto tempo a URL vale, de 1 a 604800 segundos (7 dias); padrão 3600',
    },
    llmDescription: 'Lifetime of the URL in seconds (1..604800, default 3600).',
  },
  {
    name: 'content_type',
    type: 'string',
    form: 'llm',
    required: false,
    label: {
      en_US: 'Content Type (PUT)',
      zh_Hans: '内容类型（PUT）',
      ja_JP: 'コンテンツタイプ（PUT）',
      pt_BR: 'Tipo de Conteúdo (PUT)',
    },
    humanDescription: {
      en_US: 'For PUT only: the Content-Type the uploader must send, exactly (it is signed)',
      zh_Hans: '仅用于 PUT：上传方必须原样发送的 Content-Type（已签名）',
      ja_JP: 'PUT のみ：アップロード側がそのまま送る必要がある Content-Type（署名対象）',
      pt_BR: 'Só para PUT: o Content-Type que quem envia deve mandar exatamente (ele é assinado)',
    },
    llmDescription:
      'PUT only. Media type such as "image/png"; the uploader must send exactly this Content-Type header.',
  },
  {
    name: 'download_filename',
    type: 'string',
    form: 'llm',
    required: false,
    label: {
      en_US: 'Download Filename (GET)',
      zh_Hans: '下载文件名（GET）',
      ja_JP: 'ダウンロード時のファイル名（GET）',
      pt_BR: 'Nome do Arquivo Baixado (GET)',
    },
    humanDescription: {
      en_US: 'For GET only: the browser saves the file under this name (any language)',
      zh_Hans: '仅用于 GET：浏览器以该文件名保存文件（支持中文等任意语言）',
      ja_JP: 'GET のみ：ブラウザはこの名前でファイルを保存します（日本語も可）',
      pt_BR: 'Só para GET: o navegador salva o arquivo com este nome (qualquer idioma)',
    },
    llmDescription: 'GET only. File name the browser saves the download as, e.g. "季度报告.pdf".',
  },
];
