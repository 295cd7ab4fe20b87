// The draft page keeps copies of two server limits to word its own messages without importing the server's
// normalizer into the browser bundle; this keeps the copies equal to the source.
import { describe, expect, it } from "vitest";
import { FIELD_LIMITS } from "./normalize";
import { NOTES_MAX, TAG_MAX } from "../../app/(app)/drafts/[id]/fields";

describe("the draft page's copies of the contact limits", () => {
  it("equal FIELD_LIMITS", () => {
    expect({ notes: NOTES_MAX, tag: TAG_MAX }).toEqual({ notes: FIELD_LIMITS.notes, tag: FIELD_LIMITS.tag });
  });
});
