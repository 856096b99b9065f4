// The Dify provider credential form: one row per setting of config/settings.ts that a Dify user sets.
// Pure data; declarations.ts turns it into `credentials_for_provider` (YAML) and `credentials_schema` (JSON).
import { type I18nText, sameText } from '../tools/tool-declaration.js';
import { POLICY_FIELDS } from './provider-form-policy.js';

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

const ACCESS_KEY_DOCS = 'https://help.aliyun.com/zh/ram/user-guide/create-an-accesskey-pair';
const ENDPOINT_DOCS = 'https://help.aliyun.com/zh/oss/user-guide/regions-and-endpoints';

/**
 * The form, in display order. The first four are the original plugin's fields, same names and order
 * (seed-behaviour.md §2); the rest map one to one onto settings of the same name: first how to reach the
 * bucket (here), then what the tools may do (provider-form-policy.ts).
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
    placeholder: sameText('oss-cn-hangzhou.aliyuncs.com'),
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
    placeholder: sameText('my-bucket'),
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
    placeholder: sameText('cn-hangzhou'),
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
    placeholder: sameText('https://files.example.com'),
    url: 'https://help.aliyun.com/zh/oss/user-guide/map-custom-domain-names-5',
  },
  ...POLICY_FIELDS,
];
