import { prismaGenerate } from "./lib/prisma-generate";
prismaGenerate();
console.log("prisma client generated in server/generated/prisma");
