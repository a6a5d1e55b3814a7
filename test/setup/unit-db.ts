// Unit tests of models use a real database of their own: a copy of the
// migrated base (a SQLite file, or a PostgreSQL database under test:postgres),
// private to this test file.
import { BASE_DB, testTempDir } from "./global";
import { freshDatabase } from "./databases";

const dir = testTempDir("paranet-unit-");
const database = await freshDatabase(dir, BASE_DB);
process.env.DATA_DIR = dir;
process.env.DATABASE_URL = database.url;
process.env.LOG_LEVEL = "silent";
process.env.NODE_ENV = "test";
