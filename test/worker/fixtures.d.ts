// Test fixtures read as text through Vite's `?raw` suffix (the files in test/fixtures/).
declare module "*.csv?raw" {
  const text: string;
  export default text;
}
