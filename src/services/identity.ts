/** Who is calling, as established from a verified token. */
export interface Identity {
  issuer: string;
  sub: string;
  name?: string;
  username?: string;
  email?: string;
  groups: string[];
  isAdmin: boolean;
  /** The raw bearer token: needed later to act on the user's behalf; never logged. */
  accessToken: string;
  expiresAt?: number;
}

export interface TokenVerifier {
  /** Verifies an Authorization header value; throws UnauthorizedError/UnavailableError. */
  verify(authorization: string | undefined): Promise<Identity>;
}
