// The id of a row (a UUID) as an input. PostgreSQL's uuid type reads "A0EE…" and "a0ee…" as the same value, but
// JavaScript compares strings: an id sent in upper case passed "is this my own account?" and "are these two
// different contacts?" checks that compare input ids with ids read from the database or the session (hostile
// review: an admin disabled and demoted themselves with their own id in capitals; a per-process cache was not
// forgotten). Every id is lower-cased as it is parsed, so it compares equal to the stored one everywhere.
import { z } from "zod";

export const entityId = () => z.uuid().toLowerCase();
