// Settings read outside server/env.ts' schema take an empty value as unset, as parseEnv does.
import { afterEach, describe, expect, it } from "vitest";
import { envSetting } from "./env-setting";

const NAME = "SA_ENV_SETTING_TEST";
afterEach(() => {
  delete process.env[NAME];
});

describe("envSetting", () => {
  it("is undefined when the variable is unset, empty or only spaces, and the value otherwise", () => {
    expect(envSetting(NAME)).toBeUndefined();
    for (const empty of ["", " ", "\t"]) {
      process.env[NAME] = empty;
      expect(envSetting(NAME)).toBeUndefined();
    }
    process.env[NAME] = "8";
    expect(envSetting(NAME)).toBe("8");
    // The fallback a caller gives then applies: no limit of 0 or key of "" from a `KEY=` line.
    process.env[NAME] = "";
    expect(Number(envSetting(NAME) ?? 300)).toBe(300);
  });
});
