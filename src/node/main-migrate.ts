import { bootConfig, fatal } from './boot.js';
import { migrateDatabase, openDatabase } from './database.js';

const config = bootConfig('migrate');
try {
  const database = await openDatabase(config.databaseUrl, config.dataDir);
  await migrateDatabase(database, config.databaseUrl);
  await database.close();
  console.log(`migrations applied (${database.kind === 'pglite' ? `embedded database in ${config.dataDir}` : 'PostgreSQL'})`);
} catch (err) {
  fatal('migration failed', err);
}
