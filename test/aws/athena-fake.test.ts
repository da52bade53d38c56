/** The Athena fake refuses what Athena would refuse, so the adapter's tests can trust its silence. */
import { StartQueryExecutionCommand, GetQueryResultsCommand } from '@aws-sdk/client-athena';
import { afterEach, describe, expect, it } from 'vitest';
import { decodeLiteral, fakeAthena, type AthenaFake } from '../support/athena-fake.js';

let athena: AthenaFake;
afterEach(() => athena.restore());

describe('the Athena fake', () => {
  it('refuses a request the API model rejects: a missing QueryString, a number for WorkGroup, an empty parameter', async () => {
    athena = fakeAthena();
    const input = { WorkGroup: 7, ExecutionParameters: [''] } as unknown as ConstructorParameters<typeof StartQueryExecutionCommand>[0];
    await expect(athena.client.send(new StartQueryExecutionCommand(input))).rejects.toThrow(/invalid StartQueryExecution request/);
    expect(athena.invalid).toEqual([
      'StartQueryExecution $.QueryString: missing required member of StartQueryExecutionInput',
      'StartQueryExecution $.WorkGroup: expected string, got number',
      'StartQueryExecution $.QueryString: expected 1-262144 bytes, got 0',
      'StartQueryExecution $.ExecutionParameters[0]: expected at least 1 character',
    ]);
  });

  it('refuses a page size above 1000 and a malformed query id', async () => {
    athena = fakeAthena();
    await expect(athena.client.send(new GetQueryResultsCommand({ QueryExecutionId: 'nope', MaxResults: 5000 }))).rejects.toThrow();
    expect(athena.invalid).toEqual(['GetQueryResults $.QueryExecutionId: not a query execution id', 'GetQueryResults $.MaxResults: expected 1-1000']);
  });

  it('decodes exactly one literal and nothing else', () => {
    expect([decodeLiteral("'it''s'"), decodeLiteral('42'), decodeLiteral('-1.5E+0'), decodeLiteral("'a' OR 1=1"), decodeLiteral("x' OR '1'='1"), decodeLiteral("'a''")]).toEqual([
      "it's", 42, -1.5, undefined, undefined, undefined,
    ]);
  });
});
