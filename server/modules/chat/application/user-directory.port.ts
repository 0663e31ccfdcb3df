/** The users chat needs to know: names, roles and whether they are active. Identity implements it. */
export interface UserDirectory {
  findUsers(
    ids: readonly string[],
  ): Promise<{ id: string; displayName: string; role: string; status: string }[]>;
}
