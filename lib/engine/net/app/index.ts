// The application layer's public face: what servers answer (types), HTTP messages, and a
// client's conversation with a server (talk), which curl, wget and nc share.
export type { AppReply, AppRequest, AppServer, Endpoint, ServerCertificate } from "./types";
export { byteLength, formatRequest, formatResponse, header, httpDate, parseRequest, parseResponse, reasonOf, splitTarget, type Headers, type HttpRequest, type HttpResponse } from "./http";
export { CLIENT_HELLO, datagram, interfaceAddresses, talk, type CertificateCheck, type Talk, type TalkInit, type TlsFailure } from "./talk";
