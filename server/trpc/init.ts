// tRPC initialisation in three parts: (1) the instance with superjson and an error
// formatter, (2) the error-mapping middleware, (3) the procedures by who may call them.
import { initTRPC, TRPCError } from "@trpc/server";
import superjson from "superjson";
import { AppError } from "../errors";
import type { Actor, Context } from "./context";
import { appCodeOf, fieldErrors, isValidationCause, toTRPCError } from "./error-mapping";
import { isAudited } from "../audit/audited-actions";
import { auditTarget } from "../audit/audit-targets";
import { recordAudit } from "../audit/record-audit";
import { resultFacts } from "../audit/audit-details";

// 1. Instance -----------------------------------------------------------------
const t = initTRPC.context<Context>().create({
  transformer: superjson,
  errorFormatter({ shape, error, ctx }) {
    const code = appCodeOf(error);
    const requestId = ctx?.requestId;
    const isInternal = code === "INTERNAL";
    const cause = error.cause;
    return {
      ...shape,
      // A 500 never shows its message, stack or SQL: only the request id to quote.
      message: isInternal ? `Something went wrong on our side. Reference: ${requestId ?? "n/a"}` : shape.message,
      data: {
        code: shape.data.code,
        httpStatus: shape.data.httpStatus,
        path: shape.data.path,
        appCode: code,
        requestId,
        fieldErrors: isValidationCause(cause) ? fieldErrors(cause) : undefined,
        details: cause instanceof AppError ? cause.details : undefined,
        retryAfter: cause instanceof AppError ? cause.retryAfter : undefined,
      },
    };
  },
});

export const createTRPCRouter = t.router;
export const createCallerFactory = t.createCallerFactory;

// 2. Error mapping ------------------------------------------------------------
// Wraps the whole chain (including input parsing), so zod and AppError are mapped
// before the HTTP status is chosen.
const errorMapping = t.middleware(async ({ next }) => {
  const result = await next();
  if (!result.ok) throw toTRPCError(result.error);
  return result;
});

// 3. Procedures ---------------------------------------------------------------
export const publicProcedure = t.procedure.use(errorMapping);

export const protectedProcedure = publicProcedure
  .use(({ ctx, next }) => {
    if (!ctx.actor) throw new TRPCError({ code: "UNAUTHORIZED", message: "Sign in first" });
    // Narrowed: handlers below never re-check that someone is signed in.
    return next({ ctx: { ...ctx, actor: ctx.actor as Actor } });
  })
  // The audit log (server/audit/): names the target before the change (a deleted contact is
  // still named), records after success only. Runs before the admin check, but a refused
  // call never succeeds, so it is never recorded.
  .use(async ({ ctx, path, type, getRawInput, next }) => {
    if (!isAudited(path, type)) return next();
    const input = await getRawInput();
    const target = await auditTarget(ctx.db, path, input);
    const result = await next();
    if (result.ok) {
      const facts = resultFacts(result.data);
      const targetId = target.targetId ?? (typeof facts?.id === "string" ? facts.id : null);
      await recordAudit(ctx.db, ctx.actor, { action: path, ...target, targetId, details: { input, ...(facts ? { result: facts } : {}) }, requestId: ctx.requestId, ip: ctx.ip }, ctx.log);
    }
    return result;
  });

export const adminProcedure = protectedProcedure.use(({ ctx, next }) => {
  if (ctx.actor.role !== "ADMIN") throw new TRPCError({ code: "FORBIDDEN", message: "Admins only" });
  return next();
});
