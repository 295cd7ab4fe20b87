// A small reader for our schema.prisma (the text the generated client embeds), enough
// to compare models, fields and enums with the live database in the drift test.
export interface SchemaField { name: string; column: string; type: string; optional: boolean; list: boolean; dbType?: string; relation: boolean }
export interface SchemaModel { name: string; table: string; fields: SchemaField[] }
export interface SchemaEnum { name: string; dbName: string; values: string[] }

export function readPrismaSchema(text: string, scalarTypes = new Set(["String", "Int", "BigInt", "Float", "Decimal", "Boolean", "DateTime", "Json", "Bytes"])) {
  const clean = text.replace(/\/\/.*$/gm, "");
  const enums: SchemaEnum[] = [];
  for (const m of clean.matchAll(/enum\s+(\w+)\s*\{([^}]*)\}/g)) {
    const body = m[2];
    const dbName = body.match(/@@map\("([^"]+)"\)/)?.[1] ?? m[1];
    const values = body.split("\n").map((l) => l.trim()).filter((l) => l && !l.startsWith("@@")).map((l) => l.split(/\s+/)[0]);
    enums.push({ name: m[1], dbName, values });
  }
  const enumNames = new Set(enums.map((e) => e.name));
  const models: SchemaModel[] = [];
  for (const m of clean.matchAll(/model\s+(\w+)\s*\{([^}]*)\}/g)) {
    const body = m[2];
    const table = body.match(/@@map\("([^"]+)"\)/)?.[1] ?? m[1];
    const fields: SchemaField[] = [];
    for (const raw of body.split("\n")) {
      const line = raw.trim();
      if (!line || line.startsWith("@@")) continue;
      const [name, typeToken] = line.split(/\s+/);
      const type = typeToken.replace(/[?\[\]]/g, "");
      const relation = !scalarTypes.has(type) && !enumNames.has(type);
      fields.push({
        name,
        column: line.match(/@map\("([^"]+)"\)/)?.[1] ?? name,
        type,
        optional: typeToken.endsWith("?"),
        list: typeToken.endsWith("[]"),
        dbType: line.match(/@db\.(\w+)/)?.[1],
        relation,
      });
    }
    models.push({ name: m[1], table, fields });
  }
  return { models, enums };
}

/** Which information_schema data types a Prisma scalar may live in. */
export function compatibleSqlTypes(f: SchemaField): string[] {
  if (f.dbType === "Uuid") return ["uuid"];
  if (f.dbType === "Citext") return ["citext"];
  switch (f.type) {
    case "String": return ["text", "character varying", "citext", "uuid"];
    case "Int": return ["integer", "smallint"];
    case "BigInt": return ["bigint"];
    case "Float": return ["double precision", "real"];
    case "Decimal": return ["numeric"];
    case "Boolean": return ["boolean"];
    case "DateTime": return f.dbType === "Date" ? ["date"] : ["timestamp with time zone", "timestamp without time zone"];
    case "Json": return ["jsonb", "json"];
    case "Bytes": return ["bytea"];
    default: return ["USER-DEFINED"];
  }
}
