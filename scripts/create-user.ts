// `npm run user:create -- --email a@b.c --name "Ann" --role ADMIN` (password from
// SA_NEW_PASSWORD or prompted): the production way to create the first admin.
import "./lib/load-dotenv";
import { parseArgs } from "node:util";
import { createInterface } from "node:readline/promises";
import { closeDb, getDb } from "../server/db";
import { createUser } from "../server/users/manage-users";
import { createUserInput } from "../server/users/schemas";

async function main() {
  const { values } = parseArgs({ options: { email: { type: "string" }, name: { type: "string" }, role: { type: "string", default: "ADMIN" } } });
  let password = process.env.SA_NEW_PASSWORD;
  if (!password) {
    const rl = createInterface({ input: process.stdin, output: process.stderr });
    password = await rl.question("Password (8+ characters): ");
    rl.close();
  }
  const input = createUserInput.parse({ email: values.email, name: values.name ?? values.email, role: values.role, password });
  const user = await createUser(getDb(), input);
  console.log(`created ${user.role} ${user.email}`);
}

main()
  .catch((e) => {
    console.error(e instanceof Error ? e.message : e);
    process.exitCode = 1;
  })
  .finally(() => closeDb());
