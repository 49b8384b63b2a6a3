/** Where the server looks for the bundle. */
export declare const CLIENT_OUT_DIR: string;
/** Bundle the browser side into `outDir` (default: dist/web-client), replacing what was there. */
export declare function buildClient(outDir?: string): Promise<string>;
