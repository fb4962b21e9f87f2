import { ServiceException, type FieldProblem } from '@mercato/messaging';

export enum SearchErrorCode {
  QueryTooLong = 'QUERY_TOO_LONG',
  /** A cursor that was not issued for this query (forged, corrupted or from another query). */
  InvalidCursor = 'INVALID_CURSOR',
  /** A search feedback query id this service did not issue (forged, corrupted or cut). */
  InvalidQueryId = 'INVALID_QUERY_ID',
}

const STATUS: Record<SearchErrorCode, number> = {
  [SearchErrorCode.QueryTooLong]: 400,
  [SearchErrorCode.InvalidCursor]: 400,
  [SearchErrorCode.InvalidQueryId]: 400,
};

/** An expected search failure; `status`, `code` and `errors` travel back to the caller over the bus. */
export class SearchException extends ServiceException<SearchErrorCode> {
  constructor(code: SearchErrorCode, message: string, errors?: FieldProblem[]) {
    super(STATUS, code, message, errors);
  }
}
