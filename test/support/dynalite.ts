/**
 * DynamoDB on loopback: dynalite in memory, spoken to by the real SDK v3 client, with the state table
 * as stacks/central/state-table.ts declares it. Every request is also checked against the SDK's own
 * API model, since dynalite forgives some inputs DynamoDB refuses.
 */
import * as dynamodb from '@aws-sdk/client-dynamodb';
import { CreateTableCommand, DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { validateRequest, type SchemaRef } from './aws-model.js';

// dynalite ships CommonJS without types; this is the part of its options we use.
type DynaliteOptions = { createTableMs?: number; deleteTableMs?: number; updateTableMs?: number };
const dynalite = createRequire(import.meta.url)('dynalite') as (options: DynaliteOptions) => Server;

/** A running dynalite with one state table made at start. */
export interface LocalDynamo {
  /** A client on the endpoint (region us-east-1, dummy credentials). */
  readonly client: DynamoDBClient;
  /** The state table made at start. */
  readonly table: string;
  readonly endpoint: string;
  /** Makes another empty state table, cheaply; returns its name. */
  createTable(name?: string): Promise<string>;
  /** Another client on the same endpoint, for a test that adds middleware; closed with the server. */
  connect(): DynamoDBClient;
  close(): Promise<void>;
}

let tables = 0;

/** Starts dynalite in memory on 127.0.0.1 (a free port) and makes a state table. */
export async function startDynalite(): Promise<LocalDynamo> {
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(0, '127.0.0.1', resolve));
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const clients: DynamoDBClient[] = [];
  const connect = () => {
    const client = new DynamoDBClient({
      endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' },
    });
    validateEveryRequest(client);
    clients.push(client);
    return client;
  };
  const client = connect();
  const createTable = (name = `skywatch-state-${++tables}`) => createStateTable(client, name);
  return {
    client,
    table: await createTable(),
    endpoint,
    createTable,
    connect,
    close: async () => {
      for (const c of clients) c.destroy();
      await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
    },
  };
}

/** Creates the state table: pk and sk strings, on demand, a stream of new images; waits until it is active. */
export async function createStateTable(client: DynamoDBClient, name: string): Promise<string> {
  await client.send(
    new CreateTableCommand({
      TableName: name,
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      AttributeDefinitions: [
        { AttributeName: 'pk', AttributeType: 'S' },
        { AttributeName: 'sk', AttributeType: 'S' },
      ],
      BillingMode: 'PAY_PER_REQUEST',
      StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_IMAGE' },
    }),
  );
  // With createTableMs 0 the table turns active on the next tick; no timer is involved.
  while ((await client.send(new DescribeTableCommand({ TableName: name }))).Table?.TableStatus !== 'ACTIVE') await new Promise(setImmediate);
  return name;
}

/** Fails any request the DynamoDB API model would refuse, before it reaches dynalite. */
function validateEveryRequest(client: DynamoDBClient): void {
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const schemaName = `${String(context.commandName).replace(/Command$/, '')}Input$`;
      const schema = (dynamodb as unknown as Record<string, SchemaRef | undefined>)[schemaName];
      if (!schema) throw new Error(`no API model for ${String(context.commandName)}`);
      const errors = validateRequest(schema, args.input);
      if (errors.length > 0) throw new Error(`${String(context.commandName)} does not match the DynamoDB API model:\n${errors.join('\n')}`);
      return next(args);
    },
    { step: 'initialize', name: 'validateAgainstApiModel' },
  );
}
