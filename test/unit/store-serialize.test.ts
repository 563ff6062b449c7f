import { defaultDeserialize, defaultSerialize } from "@keyv/serialize";
import fc from "fast-check";
import { Keyv } from "keyv";
import { describe, expect, it } from "vitest";
import { deserialize, serialize } from "../../src/store/serialize.js";

/** JSON values whose strings often start with ":" or ":base64:", the two cases Keyv escapes. */
const tricky = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: "small" },
    fc.oneof(fc.string(), fc.constantFrom(":", "::x", ":base64:AAAA", '":', "a:", '[":"]')),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.integer(),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie("value"), { maxLength: 4 }),
    fc.dictionary(fc.oneof(fc.string(), fc.constantFrom(":k", "k:", '":')), tie("value"), {
      maxKeys: 4,
    }),
  ),
})).value;

describe("the store's serializer", () => {
  it("writes exactly what Keyv's own serializer writes, so stored data reads the same both ways", () => {
    fc.assert(
      fc.property(tricky, (value) => {
        const wrapped = { value, expires: 1 };
        expect(serialize(wrapped)).toBe(defaultSerialize(wrapped));
        expect(deserialize(defaultSerialize(wrapped))).toEqual(defaultDeserialize(defaultSerialize(wrapped)));
      }),
      { numRuns: 2000 },
    );
  });

  it("keeps a message that starts with a colon, between this store and a plain Keyv on the same data", async () => {
    const map = new Map();
    const ours = new Keyv({ store: map, namespace: "n", serialize, deserialize });
    const plain = new Keyv({ store: map, namespace: "n" });
    const turn = { text: ":wave: hello", reply: "::double", user: { name: ":ann" } };
    await ours.set("a", turn);
    expect(await plain.get("a")).toEqual(turn);
    await plain.set("b", turn);
    expect(await ours.get("b")).toEqual(turn);
  });
});
