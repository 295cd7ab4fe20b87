// splitPersonName for Spanish and Portuguese names (QA review I4): two family names, particles, compound given names;
// Western, Vietnamese and CJK names keep their reading. (The other family-first rules are tested in vcard-export.test.ts.)
import { describe, expect, it } from "vitest";
import { splitPersonName } from "./name-order";

describe("splitPersonName: Spanish and Portuguese names", () => {
  it.each([
    // the review's contact: two given names, two family names
    ["María José Peña Muñoz", "Peña Muñoz", "María José"],
    ["Ana María López García", "López García", "Ana María"],
    ["José Luis Rodríguez Zapatero", "Rodríguez Zapatero", "José Luis"],
    // typed without accents
    ["Maria Jose Pena Munoz", "Pena Munoz", "Maria Jose"],
    // particles start the family name; conjunctions join two
    ["Juan Carlos de la Fuente", "de la Fuente", "Juan Carlos"],
    ["João Pedro da Silva Santos", "da Silva Santos", "João Pedro"],
    ["Ana de Armas", "de Armas", "Ana"],
    ["José Ortega y Gasset", "Ortega y Gasset", "José"],
    ["Ana Silva e Souza", "Silva e Souza", "Ana"],
    ["JUAN CARLOS DE LA FUENTE", "DE LA FUENTE", "JUAN CARLOS"],
    // compound given names with a particle
    ["María del Carmen López García", "López García", "María del Carmen"],
    ["María de los Ángeles García", "García", "María de los Ángeles"],
    // three words: the known given names say where the family name starts
    ["María José Peña", "Peña", "María José"],
    ["Gabriel García Márquez", "García Márquez", "Gabriel"],
    ["André Luis Gómez", "Gómez", "André Luis"],
    // two words: the same either way
    ["Lucía Fernández", "Fernández", "Lucía"],
    ["Pedro Pascal", "Pascal", "Pedro"],
  ])("%s → family %s", (full, family, given) => {
    expect(splitPersonName(full)).toEqual({ family, given });
  });

  it.each([
    // no evidence: the Western reading stays
    ["Mary Jane Smith", "Smith", "Mary Jane"],
    ["Martin Luther King", "King", "Martin Luther"],
    ["Sarah Jessica Parker", "Parker", "Sarah Jessica"],
    ["Laura Smith Jones", "Jones", "Laura Smith"],
    ["Anna Maria Schmidt Weber", "Weber", "Anna Maria Schmidt"],
    ["Maria Luisa Weber", "Weber", "Maria Luisa"],
    ["Zoé Anne Lefèvre", "Lefèvre", "Zoé Anne"],
    ["Simon Péter Smith", "Smith", "Simon Péter"],
    ["Mary Ann van der Berg", "Berg", "Mary Ann van der"],
    ["Günther Brückner", "Brückner", "Günther"],
    // the other family-first rules are not disturbed
    ["Nguyễn Thị Minh Anh", "Nguyễn", "Thị Minh Anh"],
    ["Nguyen Van An", "Nguyen", "Van An"],
    ["山田 太郎", "山田", "太郎"],
    ["王小明", "王", "小明"],
    ["김민준", "김", "민준"],
    ["Tan Wei Ming", "Tan", "Wei Ming"],
    ["Nagy János", "Nagy", "János"],
  ])("%s keeps its reading (family %s)", (full, family, given) => {
    expect(splitPersonName(full)).toEqual({ family, given });
  });

  it("a lower-case 'de' starts the family name in other languages too (de Vries, de Gaulle)", () => {
    expect(splitPersonName("Jan de Vries")).toEqual({ family: "de Vries", given: "Jan" });
    expect(splitPersonName("Charles de Gaulle")).toEqual({ family: "de Gaulle", given: "Charles" });
  });

  it("an Iberian-looking name whose words do not say where the family name starts is not split (whole name as given)", () => {
    expect(splitPersonName("Salma Hayek Jiménez")).toEqual({ family: "", given: "Salma Hayek Jiménez" });
    expect(splitPersonName("Victor Hugo Martínez")).toEqual({ family: "", given: "Victor Hugo Martínez" });
    expect(splitPersonName("María del Carmen")).toEqual({ family: "", given: "María del Carmen" });
  });

  it("worst inputs: one word, particles only, a trailing particle, 500 words, NFD accents, extra spaces", () => {
    expect(splitPersonName("María")).toEqual({ family: "", given: "María" });
    expect(splitPersonName("Madonna")).toEqual({ family: "", given: "Madonna" });
    expect(splitPersonName("de la")).toEqual({ family: "la", given: "de" });
    expect(splitPersonName("de la de")).toEqual({ family: "de", given: "de la" });
    expect(splitPersonName("Juan Carlos de")).toEqual({ family: "de", given: "Juan Carlos" });
    expect(splitPersonName("  María   José  Peña   Muñoz ")).toEqual({ family: "Peña Muñoz", given: "María José" });
    expect(splitPersonName("Mari\u0301a Jose\u0301 Pen\u0303a Mun\u0303oz")).toEqual({ family: "Pen\u0303a Mun\u0303oz", given: "Mari\u0301a Jose\u0301" });
    const many = Array.from({ length: 500 }, (_, i) => (i % 2 ? "de" : `Peña${i}`)).join(" ");
    const t0 = performance.now();
    const r = splitPersonName(many);
    expect(performance.now() - t0).toBeLessThan(200);
    expect(`${r.given} ${r.family}`).toBe(many);
    const longGiven = Array.from({ length: 500 }, () => "María").join(" ") + " Peña";
    expect(splitPersonName(longGiven).family).toBe("Peña");
  });
});
