/** PostgreSQL's unique_violation, as Sequelize surfaces it. */
export function isUniqueViolation(error: unknown): boolean {
  return (error as { original?: { code?: string } })?.original?.code === '23505';
}
