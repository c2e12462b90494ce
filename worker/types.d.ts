// Module declarations for files wrangler bundles as text.
declare module "*.sql" {
  const sql: string;
  export default sql;
}
