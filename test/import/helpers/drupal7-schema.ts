/**
 * The Drupal 7 tables the importer reads, as Drupal 7 creates them on MySQL (modules/system/system.install,
 * modules/user/user.install). `users.name` is binary here (unique by exact bytes, as a PostgreSQL or SQLite
 * site's is) so tests can hold names that differ only in case.
 */
export const DRUPAL7_SCHEMA = `
CREATE TABLE users (
  uid int unsigned NOT NULL DEFAULT 0, name varchar(60) COLLATE utf8mb3_bin NOT NULL DEFAULT '', pass varchar(128) NOT NULL DEFAULT '',
  mail varchar(254) DEFAULT '', theme varchar(255) NOT NULL DEFAULT '', signature varchar(255) NOT NULL DEFAULT '',
  signature_format varchar(255) DEFAULT NULL, created int NOT NULL DEFAULT 0, changed int NOT NULL DEFAULT 0,
  access int NOT NULL DEFAULT 0, login int NOT NULL DEFAULT 0, status tinyint NOT NULL DEFAULT 0,
  timezone varchar(32) DEFAULT NULL, language varchar(12) NOT NULL DEFAULT '', picture int NOT NULL DEFAULT 0,
  init varchar(254) DEFAULT '', data longblob, PRIMARY KEY (uid), UNIQUE KEY name (name), KEY mail (mail)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb3;
CREATE TABLE role (rid int unsigned NOT NULL AUTO_INCREMENT, name varchar(64) NOT NULL DEFAULT '', weight int NOT NULL DEFAULT 0,
  PRIMARY KEY (rid), UNIQUE KEY name (name)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb3;
CREATE TABLE role_permission (rid int unsigned NOT NULL, permission varchar(128) NOT NULL DEFAULT '', module varchar(255) NOT NULL DEFAULT '',
  PRIMARY KEY (rid, permission)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb3;
CREATE TABLE users_roles (uid int unsigned NOT NULL DEFAULT 0, rid int unsigned NOT NULL DEFAULT 0, PRIMARY KEY (uid, rid)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb3;
CREATE TABLE sessions (uid int unsigned NOT NULL, sid varchar(128) NOT NULL, ssid varchar(128) NOT NULL DEFAULT '',
  hostname varchar(128) NOT NULL DEFAULT '', timestamp int NOT NULL DEFAULT 0, cache int NOT NULL DEFAULT 0, session longblob,
  PRIMARY KEY (sid, ssid)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb3;
CREATE TABLE variable (name varchar(128) NOT NULL DEFAULT '', value longblob NOT NULL, PRIMARY KEY (name)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb3;
CREATE TABLE sequences (value int unsigned NOT NULL AUTO_INCREMENT, PRIMARY KEY (value)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb3;
`;

export interface D7User {
  uid: number; name: string; pass: string; mail: string; status?: number; created?: number; access?: number; login?: number;
  timezone?: string | null; language?: string; picture?: number; init?: string; data?: string | null;
}

export function userRow(u: D7User): unknown[] {
  return [u.uid, u.name, u.pass, u.mail, '', '', null, u.created ?? 1600000000, u.created ?? 1600000000, u.access ?? 0, u.login ?? 0,
    u.status ?? 1, u.timezone ?? 'Europe/Paris', u.language ?? '', u.picture ?? 0, u.init ?? u.mail, u.data ?? null];
}

export const USER_INSERT = 'INSERT INTO users (uid, name, pass, mail, theme, signature, signature_format, created, changed, access, login, status, timezone, language, picture, init, data) VALUES ?';
