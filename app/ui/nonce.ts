// The Content-Security-Policy nonce of the response being rendered (server
// only; in the browser it is undefined and the scripts have already run).
import { createContext, useContext } from "react";

export const NonceContext = createContext<string | undefined>(undefined);
export const useNonce = () => useContext(NonceContext);
