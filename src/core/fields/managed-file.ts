/** A row of Drupal's file_managed (user pictures). */
export interface ManagedFile {
  fid: number;
  uid: number;
  filename: string;
  uri: string;
  filemime: string;
  filesize: number;
  status: number;
  timestamp: number;
}

export type NewManagedFile = Omit<ManagedFile, 'fid'> & { fid?: number };

/** file_validate_is_image: the mime types Drupal's image toolkit (GD) accepts as pictures. */
export function isImage(file: ManagedFile): boolean {
  return ['image/png', 'image/jpeg', 'image/gif'].includes(file.filemime.toLowerCase());
}
