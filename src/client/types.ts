/**
 * Wire types of the Drupal 7 Services 3.x `user` and `system` resources, as Gatehouse and a real Drupal
 * site answer them. Values loaded from the database are strings (`"uid":"5"`); values computed by the
 * server stay native (`login` right after logging in, the anonymous user's `uid: 0`).
 */

/** Role id → role name, e.g. `{"2":"authenticated user","3":"administrator"}`. */
export type RoleMap = Record<string, string>;

/** A full user object (retrieve, and the `user` of a login answer). Field API fields appear as extra keys. */
export interface DrupalUser {
  uid: string;
  name: string;
  /** Present for the caller's own account and for administrators. */
  mail?: string;
  theme?: string;
  signature?: string;
  signature_format?: string | null;
  created?: string;
  changed?: string;
  access?: string;
  /** A number in a login answer, a string elsewhere. */
  login?: string | number;
  status?: string;
  timezone?: string | null;
  language?: string;
  picture?: unknown;
  /** Present only for administrators. */
  init?: string;
  data?: unknown;
  roles: RoleMap;
  [field: string]: unknown;
}

/** The anonymous user as `system/connect` (and logout v1.1) describe it. */
export interface AnonymousUser {
  uid: 0;
  hostname: string;
  roles: RoleMap;
  cache: number;
  timestamp?: number;
  [key: string]: unknown;
}

/** `POST {endpoint}/user/login`. */
export interface LoginResult {
  sessid: string;
  session_name: string;
  /** The CSRF token of the new session; the client keeps it. */
  token: string;
  user: DrupalUser;
}

/** `POST {endpoint}/system/connect`. For anonymous callers `sessid` is a throw-away id. */
export interface ConnectResult {
  sessid: string;
  session_name: string;
  user: DrupalUser | AnonymousUser;
}

/** `POST {endpoint}/user` and `POST {endpoint}/user/register`. */
export interface CreateResult {
  uid: string;
  uri: string;
}

/** Password as the register/update forms take it: one string, or the two confirmation fields. */
export type PasswordInput = string | { pass1: string; pass2: string };

/** The account submitted to register/create. Field API values go in form shape (`field_x: {und: [...]}`). */
export interface NewAccount {
  name: string;
  mail: string;
  pass?: PasswordInput;
  /** Honoured only for administrators. */
  status?: 0 | 1 | '0' | '1';
  /** rid → rid; honoured only for administrators with *administer permissions*. */
  roles?: Record<string, string | number>;
  notify?: boolean | 0 | 1;
  [field: string]: unknown;
}

/** The fields `PUT {endpoint}/user/{uid}` accepts. */
export interface UserUpdate {
  name?: string;
  mail?: string;
  pass?: PasswordInput;
  /** Required to change one's own mail or password. */
  current_pass?: string;
  status?: 0 | 1 | '0' | '1';
  roles?: Record<string, string | number>;
  signature?: string;
  timezone?: string;
  [field: string]: unknown;
}

/** The update answer: the submitted fields echoed (minus passwords), plus `uid` and `roles`. */
export interface UpdateResult {
  /** The path's uid, as a string. */
  uid: string;
  /** The account's roles (or an administrator's submitted map). */
  roles: RoleMap;
  name?: string;
  /** Echoed only for the caller's own account or for administrators. */
  mail?: string;
  status?: 0 | 1 | '0' | '1';
  signature?: string;
  timezone?: string;
  [field: string]: unknown;
}

/** `GET {endpoint}/user` query. */
export interface IndexQuery {
  page?: number;
  pagesize?: number;
  /** Raw `users` column names. */
  fields?: string[] | string;
  /** column → value (CSV for several): `parameters[col]=v`. */
  parameters?: Record<string, string | number>;
  /** e.g. `{orderby: {uid: 'ASC'}, parameters_op: {uid: '>'}}`. */
  options?: Record<string, Record<string, string>>;
}

/** One raw row of the index: DB strings (or null), plus `uri`. */
export interface IndexRow {
  uid: string;
  uri: string;
  [column: string]: unknown;
}

/** `POST {endpoint}/user/user_pass_reset` arguments (from a one-time link `/user/reset/{uid}/{timestamp}/{hash}`). */
export interface PassResetLink {
  uid: string | number;
  timestamp: string | number;
  hashed_pass: string;
}

/** `POST {endpoint}/user/user_pass_reset` answer; the client is then logged in. */
export interface PassResetResult {
  pass_reset_token: string;
  message: string;
}

/** Version of the login/logout definitions (`Services-User-Login-Version`). */
export type LoginApiVersion = '1.0' | '1.1';
