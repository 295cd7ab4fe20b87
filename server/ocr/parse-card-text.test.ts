import { describe, expect, it } from "vitest";
import { parseCardText } from "./parse-card-text";
import { restoreUmlautsFromEmail } from "./person-name";
import type { OcrWord } from "./types";

const KEYS = ["fullName", "title", "company", "email", "phone", "website", "address"] as const;

describe("parseCardText — cards and signatures by country", () => {
  it("US card: labels, fax kept out of phone, address joined", () => {
    const r = parseCardText(
      ["Quillmark Studio LLC", "Priya Calloway", "Founder & CEO", "O: (312) 555-0140", "M: (312) 555-0162", "F: (312) 555-0137",
        "priyac@quillmark-studio.co", "www.quillmark-studio.co", "444 Maple Ridge Ave, Suite 603", "Chicago, IL 60627"].join("\n"),
    );
    expect(r.fields).toEqual({
      fullName: "Priya Calloway",
      title: "Founder & CEO",
      company: "Quillmark Studio LLC",
      email: "priyac@quillmark-studio.co",
      phone: "+13125550140",
      website: "quillmark-studio.co",
      address: "444 Maple Ridge Ave, Suite 603, Chicago, IL 60627",
    });
    expect(r.fax).toBe("+13125550137");
    expect(r.phones.map((p) => [p.e164, p.type])).toEqual([["+13125550140", "work"], ["+13125550162", "mobile"], ["+13125550137", "fax"]]);
  });

  it("UK card in capitals: post-nominal removed, natural capitalisation, national numbers read as GB", () => {
    const r = parseCardText(
      "HOLLOWMERE CONSULTING LLP\nOWEN GRIFFITHS, FCA\nHead of Marketing\nowen@hollowmere-consulting.co.uk | https://www.hollowmere-consulting.co.uk/about\nlinkedin.com/in/owengriffiths\n07700 900385\n204 Ashgrove Place\nBristol BS2 0JA",
    );
    expect(r.fields.fullName).toBe("Owen Griffiths");
    expect(r.fields.company).toBe("Hollowmere Consulting LLP");
    expect(r.fields.website).toBe("hollowmere-consulting.co.uk");
    expect(r.fields.phone).toBe("+447700900385");
    expect(r.fields.address).toBe("204 Ashgrove Place, Bristol BS2 0JA");
  });

  it("German card: Dr.-Ing. stripped, Mobil/Telefon/Fax labels, Straße + PLZ address", () => {
    const r = parseCardText(
      "Dr.-Ing. Käthe Schäfer\nLeiterin Vertrieb\nAhornblatt Systeme AG\nTelefon 069 90009281\nMobil 0152 28817279\nFax 069 90009282\nkschaefer@ahornblatt-systeme.de\nwww.ahornblatt-systeme.de\nSchillerplatz 162\n60486 Frankfurt am Main",
    );
    expect(r.fields.fullName).toBe("Käthe Schäfer");
    expect(r.fields.title).toBe("Leiterin Vertrieb");
    expect(r.fields.company).toBe("Ahornblatt Systeme AG");
    expect(r.fields.phone).toBe("+496990009281");
    expect(r.fax).toBe("+496990009282");
    expect(r.phones.find((p) => p.e164 === "+4915228817279")?.type).toBe("mobile");
    expect(r.fields.address).toBe("Schillerplatz 162, 60486 Frankfurt am Main");
  });

  it("German Dipl.-Ing. and Prof. Dr. are honorifics", () => {
    expect(parseCardText("Dipl.-Ing. Tobias Lübke\nProkurist\nt.luebke@bergquell-software.de").fields.fullName).toBe("Tobias Lübke");
    expect(parseCardText("Prof. Dr. Anna Weber\nHead of Research\nanna.weber@uni-example.de").fields.fullName).toBe("Anna Weber");
  });

  it("French card: Me honorific, Tél./Port. labels, .fr region", () => {
    const r = parseCardText(
      "Me Frédéric Lefèvre\nConsultant senior\nPierrefeu Logistique SAS\nTél. 05 36 49 32 86\nPort. 06 39 98 03 69\nfredericl@pierrefeu.fr\n59 boulevard des Écoles\n33800 Bordeaux",
    );
    expect(r.fields.fullName).toBe("Frédéric Lefèvre");
    expect(r.fields.company).toBe("Pierrefeu Logistique SAS");
    expect(r.fields.phone).toBe("+33536493286");
    expect(r.phones[1]).toMatchObject({ e164: "+33639980369", type: "mobile" });
    expect(r.fields.address).toBe("59 boulevard des Écoles, 33800 Bordeaux");
  });

  it("Singapore card: family-name-first name kept in order, Pte. Ltd., unit number address", () => {
    const r = parseCardText(
      "Tan Wei Ming\nManaging Director\nHollowmere Labs Pte. Ltd.\nT +65 6555 3160\nM 9822 5687\ntan.weiming@hollowmere-labs.com.sg\n191 Tai Seng Street, #13-27\nSingapore 629133",
    );
    expect(r.fields.fullName).toBe("Tan Wei Ming");
    expect(r.fields.company).toBe("Hollowmere Labs Pte. Ltd.");
    expect(r.fields.phone).toBe("+6565553160");
    expect(r.phones[1]).toMatchObject({ e164: "+6598225687", type: "mobile" });
    expect(r.fields.address).toBe("191 Tai Seng Street, #13-27, Singapore 629133");
  });

  it("Australian card: Pty Ltd, mobile and office numbers from .com.au", () => {
    const r = parseCardText(
      "Daniel McKenzie\nFinancial Controller\nBluequill Logistics Pty Ltd\nM 0491 570 231\nP (08) 5550 3067\ndaniel@bluequill.com.au\nbluequill.com.au\nSuite 22, 55 Boundary Road\nPerth WA 6005",
    );
    expect(r.fields.phone).toBe("+61491570231");
    expect(r.phones[0].type).toBe("mobile");
    expect(r.fields.company).toBe("Bluequill Logistics Pty Ltd");
    expect(r.fields.website).toBe("bluequill.com.au");
    expect(r.fields.address).toBe("Suite 22, 55 Boundary Road, Perth WA 6005");
  });

  it("Vietnamese address whose diacritics OCR dropped (Quan = Quận) is still found; names that fold the same are not addresses", () => {
    // The OCR text of bench/ocr-cards/own-08.jpg.
    const r = parseCardText(
      "Trinh Thu Ha\nKế toán trưởng\nCông ty TNHH Thực phẩm Sông Hồng\nHotline: 1900 6868\nDi động: 0988 112233\nha.tt@songhongfood.com.vn\nwww.songhongfood.com.vn\n45 Trang Tién, Quan Hoan Kiém\nHa Noi",
    );
    expect(r.fields.address).toBe("45 Trang Tién, Quan Hoan Kiém, Ha Noi");
    expect(r.fields.fullName).toBe("Trinh Thu Ha");
    // Dương, Phương, Quân are names too: without a number they are not an address.
    const named = parseCardText("Duong Van Minh, MBA\nSales Director\nPhuong Quan Trading, Hanoi\nminh@pq-trading.vn\n+84 912 345 678");
    expect(named.fields.fullName).toBe("Duong Van Minh");
    expect(named.fields.address).toBeNull();
  });

  it("Vietnamese card: honorific ThS., name with diacritics whole, Công ty TNHH, DĐ label, VN numbers", () => {
    const r = parseCardText(
      "CÔNG TY TNHH VẬN TẢI PHÚ QUANG\nThS. Lý Gia Khánh\nGiám đốc Điều hành\nĐT: 0236 3843 072\nDĐ: 0912 345 678\nEmail: giakhanh@phu-quang.com\nWeb: www.phu-quang.com\n77 Bạch Đằng, Phường Hải Châu 1\nQuận Hải Châu, TP. Đà Nẵng",
    );
    expect(r.fields.fullName).toBe("Lý Gia Khánh");
    expect(r.fields.title).toBe("Giám đốc Điều hành");
    expect(r.fields.company?.toLowerCase()).toBe("công ty tnhh vận tải phú quang");
    expect(r.fields.phone).toBe("+842363843072");
    expect(r.phones[1]).toMatchObject({ e164: "+84912345678", type: "mobile" });
    expect(r.fields.address).toBe("77 Bạch Đằng, Phường Hải Châu 1, Quận Hải Châu, TP. Đà Nẵng");
  });

  it("Vietnamese name in capitals gets natural capitalisation with diacritics", () => {
    const r = parseCardText("NGUYỄN THỊ MINH ANH\nTrưởng phòng Kinh doanh\nanh.ntm@sao-mai.vn\n0912 345 678");
    expect(r.fields.fullName).toBe("Nguyễn Thị Minh Anh");
    expect(r.fields.phone).toBe("+84912345678");
  });

  it("PGS.TS. and TS. are stripped from Vietnamese names", () => {
    expect(parseCardText("PGS.TS. Trần Văn Hùng\nGiám đốc").fields.fullName).toBe("Trần Văn Hùng");
    expect(parseCardText("TS. Lê Thị Hoa\nTrưởng phòng").fields.fullName).toBe("Lê Thị Hoa");
  });

  it("post-nominals: PhD, MBA, CPA", () => {
    expect(parseCardText("Dr. Nathan Brennan, CPA\nQuality Assurance Lead").fields.fullName).toBe("Nathan Brennan");
    expect(parseCardText("Bérénice Faure, MBA\nDirectrice des opérations").fields.fullName).toBe("Bérénice Faure");
    expect(parseCardText("Ms. Hannah Whitfield, PhD\nPrincipal Architect").fields.fullName).toBe("Hannah Whitfield");
  });
});

describe("parseCardText — rules", () => {
  it("a Vietnamese title phrase counts as whole words, never inside a Latin name ('Zlkysuc' holds 'kysu')", () => {
    for (const name of ["Vera Zlkysuc", "Nora Okysuq", "Tom Giamdocx"]) {
      expect(parseCardText(`${name}\nHead of Sales, Quillworks Ltd\nvera@quillworks.example`).fields.fullName).toBe(name);
    }
    for (const title of ["Kỹ sư phần mềm", "KỸSƯ", "Phó Giám đốc", "Trưởng phòng Kinh doanh"]) {
      expect(parseCardText(`Nguyễn Văn An\n${title}\nan@saomai.vn`).fields.title).toBe(title);
    }
  });

  it("uses the email domain for the company when no line names it", () => {
    const r = parseCardText("Melissa Ng\nFounder & CEO\nm.ng@bluequilldynamics.com.sg\n+65 8089 2486");
    expect(r.fields.company).toBe("Bluequilldynamics");
    const r2 = parseCardText("Jane Roe\nAccount Executive\njane@pellora-foods.com");
    expect(r2.fields.company).toBe("Pellora Foods");
  });

  it("picks the line that spells the domain as the company", () => {
    const r = parseCardText("Samuel Bennett\nFinancial Controller | Group Treasury\nAmberlune Capital\nsamuel_bennett@amberlune-capital.com");
    expect(r.fields.company).toBe("Amberlune Capital");
    expect(r.fields.title).toBe("Financial Controller | Group Treasury");
  });

  it("never uses a free-mail domain as the company", () => {
    expect(parseCardText("John Smith\nConsultant\njohn.smith@gmail.com").fields.company).toBeNull();
  });

  it("never takes a LinkedIn URL as the website", () => {
    const r = parseCardText("Avery Fitzgerald\nlinkedin.com/in/averyfitz\nhttps://www.linkedin.com/in/averyfitz\nin/averyfitz");
    expect(r.fields.website).toBeNull();
    const r2 = parseCardText("Avery Fitzgerald\nLinkedIn: linkedin.com/in/averyfitz\nhttps://corvanta-biotech.co.uk/team/avery");
    expect(r2.fields.website).toBe("corvanta-biotech.co.uk");
  });

  it("website is the bare host: no scheme, www. or path", () => {
    expect(parseCardText("W: https://www.acme.vn/en/contact?x=1").fields.website).toBe("acme.vn");
    expect(parseCardText("Web: WWW.EXAMPLE.DE").fields.website).toBe("example.de");
  });

  it("lower-cases the email and takes it from a labelled line", () => {
    expect(parseCardText("E-Mail: J.Doe@Example.COM").fields.email).toBe("j.doe@example.com");
  });

  it("a fax is never the phone, even when printed first", () => {
    const r = parseCardText("Fax: +44 20 7946 0518\nTel: +44 20 7946 0892");
    expect(r.fields.phone).toBe("+442079460892");
    expect(r.fax).toBe("+442079460518");
    expect(r.phones.find((p) => p.type === "fax")?.e164).toBe("+442079460518");
  });

  it("two numbers on one line separated by a bar keep their own labels", () => {
    const r = parseCardText("T: 0117 496 0537 | M: 07700 900198 | F: 0117 496 0066", { defaultRegion: "GB" });
    expect(r.phones.map((p) => p.type)).toEqual(["work", "mobile", "fax"]);
    expect(r.fields.phone).toBe("+441174960537");
  });

  it("region comes from the text: +84 elsewhere on the card, .de TLD, city name", () => {
    expect(parseCardText("Hotline: +84 28 7396 1888\nMobile: 0912 345 678").phones.map((p) => p.e164)).toEqual(["+842873961888", "+84912345678"]);
    expect(parseCardText("Tel 030 23125298\nx@firma.de").fields.phone).toBe("+493023125298");
    expect(parseCardText("Tel 01 99 00 91 29\n12 rue de la Paix\n75002 Paris").fields.phone).toBe("+33199009129");
  });

  it("defaultRegion option is used when the text gives no hint", () => {
    expect(parseCardText("Phone 0912 345 678", { defaultRegion: "VN" }).fields.phone).toBe("+84912345678");
    expect(parseCardText("Phone (206) 555-0146", { defaultRegion: "US" }).fields.phone).toBe("+12065550146");
  });

  it("a department on its own line is appended to the title", () => {
    const r = parseCardText("Phan Thị Minh Yến\nPhó Giám đốc\nKhối Khách hàng Doanh nghiệp\nyen.ptm@lamson.vn");
    expect(r.fields.title).toBe("Phó Giám đốc, Khối Khách hàng Doanh nghiệp");
  });

  it("gives each field a confidence in 0..1 and null for missing fields", () => {
    const r = parseCardText("Owen Griffiths\nHead of Marketing\nowen@hollowmere.co.uk");
    for (const k of KEYS) {
      if (r.fields[k] === null) expect(r.confidence[k]).toBeNull();
      else {
        expect(r.confidence[k]).toBeGreaterThan(0);
        expect(r.confidence[k]).toBeLessThanOrEqual(1);
      }
    }
  });

  it("low OCR confidence lowers the field confidence", () => {
    const text = "Owen Griffiths\nowen@hollowmere.co.uk";
    const hi = parseCardText(text, { lineConfidences: [0.95, 0.95] });
    const lo = parseCardText(text, { lineConfidences: [0.4, 0.4] });
    expect(lo.confidence.email!).toBeLessThan(hi.confidence.email!);
    expect(lo.confidence.fullName!).toBeLessThan(hi.confidence.fullName!);
  });

  it("maps fields to the OCR words they came from", () => {
    const box = (i: number) => ({ x0: 0, y0: i * 20, x1: 100, y1: i * 20 + 15 });
    const words: OcrWord[] = [
      { text: "Owen", confidence: 0.9, bbox: box(0), line: 0 },
      { text: "Griffiths", confidence: 0.9, bbox: box(0), line: 0 },
      { text: "E:", confidence: 0.9, bbox: box(1), line: 1 },
      { text: "owen@hollowmere.co.uk", confidence: 0.9, bbox: box(1), line: 1 },
    ];
    const r = parseCardText("Owen Griffiths\nE: owen@hollowmere.co.uk", { words });
    expect(r.sourceWords.fullName).toEqual([0, 1]);
    expect(r.sourceWords.email).toEqual([3]);
  });

  it("pasted text has no source words", () => {
    expect(parseCardText("Owen Griffiths\nowen@hollowmere.co.uk").sourceWords).toEqual({});
  });

  it("parses an email signature with separators", () => {
    const r = parseCardText(
      "Best regards,\n\nJessica O'Brien\nCustomer Success Manager | Solvane Legal Pty Ltd\nM +61 491 570 690 | jessicao@solvane.com.au | solvane.com.au\n389 Collins Street, Perth WA 6005",
    );
    expect(r.fields.fullName).toBe("Jessica O'Brien");
    expect(r.fields.email).toBe("jessicao@solvane.com.au");
    expect(r.fields.phone).toBe("+61491570690");
    expect(r.fields.website).toBe("solvane.com.au");
    expect(r.fields.address).toBe("389 Collins Street, Perth WA 6005");
  });
});

describe("parseCardText — worst inputs", () => {
  it("empty text gives all-null fields", () => {
    const r = parseCardText("");
    for (const k of KEYS) {
      expect(r.fields[k]).toBeNull();
      expect(r.confidence[k]).toBeNull();
    }
    expect(r.phones).toEqual([]);
    expect(r.fax).toBeNull();
    expect(r.qr).toBeNull();
  });

  it("1 MB of text is handled (bounded work) and returns a result", () => {
    const big = ("Lorem ipsum dolor sit amet 12345 ".repeat(32) + "\n").repeat(1000);
    expect(big.length).toBeGreaterThan(1_000_000);
    const r = parseCardText(big + "\njohn@example.com");
    expect(r.fields).toBeDefined();
    expect(Object.keys(r.fields).sort()).toEqual([...KEYS].sort());
  });

  it("noise only yields nothing", () => {
    const r = parseCardText("~~ -- ;; ||\n. , . ,\n=== ___ ***\n@@@ ### $$$\nl1 |I ;: ,.");
    for (const k of KEYS) expect(r.fields[k]).toBeNull();
  });

  it("<script> is returned as plain text, never interpreted", () => {
    const r = parseCardText('<script>alert("x")</script>\nJohn <b>Smith</b>\njohn@example.com');
    expect(r.fields.email).toBe("john@example.com");
    for (const k of KEYS) {
      const v = r.fields[k];
      if (v !== null) expect(typeof v).toBe("string");
    }
    // Nothing in the output is anything but strings/numbers/null: no functions, no DOM.
    expect(JSON.parse(JSON.stringify(r))).toEqual(r);
  });

  it("a 40-digit number is not a phone", () => {
    const r = parseCardText("Tel: 1234567890123456789012345678901234567890", { defaultRegion: "US" });
    expect(r.fields.phone).toBeNull();
    expect(r.phones).toEqual([]);
  });

  it("a@b is not an email", () => {
    expect(parseCardText("a@b").fields.email).toBeNull();
    expect(parseCardText("contact: a@b").fields.email).toBeNull();
  });

  it("postcodes and house numbers are not phones", () => {
    const r = parseCardText("Rosenthaler Straße 11, 60311 Frankfurt am Main\n41 Pasir Panjang Road, #11-20, Singapore 325309");
    expect(r.phones).toEqual([]);
  });

  it("non-string input does not throw", () => {
    expect(parseCardText(undefined as unknown as string).fields.email).toBeNull();
  });
});

describe("OCR repairs", () => {
  it("rebuilds an e-mail whose domain OCR broke, from the website host; a space in the local part is a lost underscore", () => {
    const r = parseCardText(
      "Samuel Bennett\nFinancial Controller\nE: samuel bennett@amberiune-capitalcom. W: www.amberlune-capital.com/",
    );
    expect(r.fields.email).toBe("samuel_bennett@amberlune-capital.com");
    expect(r.fields.website).toBe("amberlune-capital.com");
    // A rebuilt address is less certain than one read cleanly.
    expect(r.confidence.email).toBeLessThan(0.9);
  });

  it("rebuilds a TLD misread as digits when the website spells the host", () => {
    expect(parseCardText("Jane Doe\nEmail jane@acme-tools.c0m\nwww.acme-tools.com").fields.email).toBe("jane@acme-tools.com");
  });

  it("does not invent an e-mail from an unrelated @ handle", () => {
    expect(parseCardText("Jane Doe\nTwitter @janedoe\nwww.acme-tools.com").fields.email).toBeNull();
  });

  it("takes the company printed on a contact line when its words spell the domain", () => {
    const r = parseCardText("MELISSA NG\nFounder & CEO\nBLUEQUILL DYNAMICS m.ng@bluequilldynamics.com.sg bluequilldynamics.com.sg");
    expect(r.fields.company).toBe("Bluequill Dynamics");
    expect(r.fields.email).toBe("m.ng@bluequilldynamics.com.sg");
  });

  it("recognises legal forms printed in capitals", () => {
    const r = parseCardText("0 PELLORA FREIGHT PTE LTD\nLee Kok Leong\nHR Business Partner\nE kokleong@pellorafreight.com.sg");
    expect(r.fields.company).toBe("Pellora Freight Pte Ltd");
    expect(r.fields.fullName).toBe("Lee Kok Leong");
  });
});

describe("OCR repairs of the e-mail initial", () => {
  it("reads a leading 1 as the initial of the name (1/l/i look alike)", () => {
    expect(parseCardText("Lukas Brandt\nGeschäftsführer\n1.brandt@brandt-maschinenbau.de").fields.email).toBe("l.brandt@brandt-maschinenbau.de");
  });
  it("keeps a digit that does not stand for the name's initial", () => {
    expect(parseCardText("Maria Weber\nLeiterin Vertrieb\n1.weber@example-firma.de").fields.email).toBe("1.weber@example-firma.de");
  });
});

describe("OCR repairs of umlauts the e-mail spells", () => {
  it("puts back umlauts OCR dropped when the address spells them ae/oe/ue", () => {
    expect(parseCardText("Soren Vogel\nVertriebsleiter\nsoeren_vogel@lindenhof.de").fields.fullName).toBe("Sören Vogel");
    expect(parseCardText("GUNTHER BRUCKNER\nTechnischer Leiter\nE g.brueckner@hagedorn-automation.de").fields.fullName).toBe("Gunther Brückner");
    expect(restoreUmlautsFromEmail("Kathe Schafer", "kschaefer@ahornblatt-systeme.de")).toBe("Kathe Schäfer");
    expect(restoreUmlautsFromEmail("Tobias Oberhauser", "toberhaeuser@rabenstein.de")).toBe("Tobias Oberhäuser");
    expect(restoreUmlautsFromEmail("Jurgen Muller", "juergen.mueller@example.de")).toBe("Jürgen Müller");
  });

  it("leaves names alone when the address spells them the same, or does not contain them", () => {
    for (const [name, email] of [
      ["Thomas Mueller", "thomas.mueller@example.de"], // the e is in the name too
      ["Anna Bauer", "a.bauer@example.de"], // "bauer": the e belongs to "er"
      ["Michael Haus", "michael.haus@example.de"],
      ["Nguyễn Thị Hương", "huong.nguyen@example.vn"],
      ["Dương Minh Anh", "anh.dtm@example.vn"],
      ["Joel Noel", "jnoel@example.fr"],
      ["Lea Dubois", "info@example.fr"],
      ["Sören Vogel", "soeren.vogel@example.de"], // already right
    ]) {
      expect(restoreUmlautsFromEmail(name, email), `${name} / ${email}`).toBe(name);
    }
  });

  it("copes with worst inputs: no address, no local part, huge and hostile values", () => {
    expect(restoreUmlautsFromEmail("Soren Vogel", null)).toBe("Soren Vogel");
    expect(restoreUmlautsFromEmail("Soren Vogel", "@example.de")).toBe("Soren Vogel");
    expect(restoreUmlautsFromEmail("Soren Vogel", "(.*)+$@x.de")).toBe("Soren Vogel");
    const long = "a".repeat(5000);
    expect(restoreUmlautsFromEmail(`Soren ${long}`, `${"ae".repeat(3000)}@x.de`)).toBe(`Soren ${long}`);
  });
});

describe("OCR debris around e-mail and website", () => {
  it("drops a bracket read next to the @", () => {
    expect(parseCardText("Henry Whitcombe\nh.whitcombe(@kestrelridge.co.uk\nwww.kestrelridge.co.uk").fields.email).toBe("h.whitcombe@kestrelridge.co.uk");
  });
  it("does not take a bare public suffix for the website", () => {
    expect(parseCardText("Nathan Papadopoulos\nSystems. com.au").fields.website).toBeNull();
  });
});

describe("pasted signatures (QA review)", () => {
  it("the paste box's own placeholder: 'Title, Company' on one line is split", () => {
    const r = parseCardText("Jane Cooper\nHead of Partnerships, Northwind Ltd\n+44 20 7946 0123 · jane@northwind.example");
    expect(r.fields).toMatchObject({ fullName: "Jane Cooper", title: "Head of Partnerships", company: "Northwind Ltd", email: "jane@northwind.example", phone: "+442079460123" });
    expect(r.confidence.title).toBeGreaterThan(0);
    expect(r.confidence.company).toBeGreaterThan(0);
  });

  it("a forwarded message ending in a signature", () => {
    const r = parseCardText(
      [
        "---------- Forwarded message ---------",
        "From: John Smith <john.smith@acme.example>",
        "Date: Mon, 3 Mar 2025 at 10:12",
        "Subject: Re: pricing",
        "To: Jane Cooper <jane@northwind.example>",
        "",
        "Hi Jane, thanks for the call today. Let's talk next week.",
        "",
        "Best regards,",
        "John Smith",
        "VP Sales, Acme Inc.",
      ].join("\n"),
    );
    expect(r.fields).toMatchObject({ fullName: "John Smith", title: "VP Sales", company: "Acme Inc.", email: "john.smith@acme.example", phone: null });
  });

  // Title and company in either order, with each separator people use; the company side is told by its legal
  // form or by spelling the e-mail domain, the title side by a job word.
  it.each([
    ["Head of Partnerships, Northwind Ltd", "Head of Partnerships", "Northwind Ltd"],
    ["Head of Partnerships | Northwind Ltd", "Head of Partnerships", "Northwind Ltd"],
    ["Head of Partnerships at Northwind", "Head of Partnerships", "Northwind"],
    ["Head of Partnerships @ Northwind", "Head of Partnerships", "Northwind"],
    ["Head of Partnerships – Northwind Ltd", "Head of Partnerships", "Northwind Ltd"],
    ["Head of Partnerships - Northwind", "Head of Partnerships", "Northwind"],
    ["Northwind Ltd | Head of Partnerships", "Head of Partnerships", "Northwind Ltd"],
    ["Northwind GmbH – Leiterin Vertrieb", "Leiterin Vertrieb", "Northwind GmbH"],
    ["Head of Sales, EMEA, Northwind Ltd", "Head of Sales, EMEA", "Northwind Ltd"],
    ["Sales Manager, Northwind Co., Ltd.", "Sales Manager", "Northwind Co., Ltd."],
  ])("%s", (line, title, company) => {
    const r = parseCardText(`Jane Cooper\n${line}\njane@northwind.example`);
    expect(r.fields).toMatchObject({ fullName: "Jane Cooper", title, company });
  });

  it.each([
    ["Head of Marketing | APAC"],
    ["Sales Manager – Enterprise Sales"],
    ["Data Scientist, EMEA"],
    ["Account Manager at Large"],
  ])("a title with a department stays whole: %s", (line) => {
    const r = parseCardText(`Jane Cooper\n${line}\njane@northwind.example`);
    expect(r.fields.title).toBe(line);
    expect(r.fields.company).toBe("Northwind");
  });

  it("a separate line with a legal form is the company; the one-line pair still gives the title", () => {
    const r = parseCardText("Jane Cooper\nSales Director, Northwind\nNorthwind Trading GmbH\njane@northwind.example");
    expect(r.fields).toMatchObject({ title: "Sales Director", company: "Northwind Trading GmbH" });
  });

  it.each([
    ["Jane Cooper 🚀"],
    ["🚀 Jane Cooper"],
    ["Jane Cooper 👩🏽‍💻✨"],
    ["Jane Cooper 🇬🇧"],
    ["Jane Cooper ★"],
    ["Jane Cooper ☎️"],
  ])("emoji and symbols next to the name do not lose it: %s", (line) => {
    const r = parseCardText(`${line}\njane@northwind.example`);
    expect(r.fields.fullName).toBe("Jane Cooper");
  });

  it("a phone behind an emoji is still read", () => {
    const r = parseCardText("Jane Cooper\n📞 +44 20 7946 0123\n✉️ jane@northwind.example");
    expect(r.fields.phone).toBe("+442079460123");
    expect(r.fields.email).toBe("jane@northwind.example");
  });

  it("a meeting link: no phone made from its tracking digits, and a scheduler is not the website", () => {
    const r = parseCardText(
      [
        "Paul Meyer",
        "Sales Director, Foo GmbH",
        "paul@foo.example",
        "Book a meeting: https://meetings.hubspot.com/paul-meyer?utm_source=x&__hstc=20629287.abcdef0123456789abcdef.1700000000000.1700000000000.1700000000000.1",
      ].join("\n"),
      { defaultRegion: "US" },
    );
    expect(r.fields).toMatchObject({ fullName: "Paul Meyer", title: "Sales Director", company: "Foo GmbH", email: "paul@foo.example", phone: null, website: null });
    expect(r.phones).toEqual([]);
  });

  it("prefers the website on the e-mail's domain over schedulers, social profiles and other hosts", () => {
    const r = parseCardText(
      ["Paul Meyer", "paul@foo.de", "calendly.com/paul-meyer", "https://www.partner-site.com", "Web: https://www.foo.de/kontakt", "twitter.com/paulmeyer"].join("\n"),
    );
    expect(r.fields.website).toBe("foo.de");
    // Without a site on the e-mail's domain the first real website is kept (cards may print another domain).
    expect(parseCardText("Paul Meyer\npaul@foo.de\ncalendly.com/paul\nwww.partner-site.com").fields.website).toBe("partner-site.com");
    expect(parseCardText("Paul Meyer\npaul@foo.de\nhttps://calendly.com/paul").fields.website).toBeNull();
  });

  it("someone who works at a scheduler keeps it as their website", () => {
    expect(parseCardText("Ann Lee\nann@calendly.com\nwww.calendly.com").fields.website).toBe("calendly.com");
  });

  it("digits inside e-mail addresses and URLs are never phones; real numbers next to them still are", () => {
    const r = parseCardText("anh.0912345678@acme.vn\nhttps://acme.vn/p?id=0912345678\nwww.acme.vn/0912345678\nM: 0912 345 678/anh@acme.vn", { defaultRegion: "VN" });
    expect(r.phones.map((p) => p.e164)).toEqual(["+84912345678"]);
    expect(r.fields.email).toBe("anh.0912345678@acme.vn");
  });

  it("digits glued to letters are a token, unless the letters are a label OCR ran into the number", () => {
    expect(parseCardText("Ref abcdef0123456789abcdef\nID12345678X", { defaultRegion: "US" }).phones).toEqual([]);
    const r = parseCardText("T0131 496 0321\nM 07700 900412\nfiona@thistledown.co.uk");
    expect(r.phones.map((p) => [p.e164, p.type])).toEqual([["+441314960321", "work"], ["+447700900412", "mobile"]]);
  });

  it("a national number that only a wrong region would accept is dropped, not stored as an impossible US number", () => {
    const r = parseCardText("Jane Cooper\nMobile 0491 570 231\njane@gmail.com", { defaultRegion: "US" });
    expect(r.fields.phone).toBeNull();
    // With evidence of the country it is read correctly.
    expect(parseCardText("Jane Cooper\nMobile 0491 570 231\njane@northwind.com.au", { defaultRegion: "US" }).fields.phone).toBe("+61491570231");
  });

  it("worst inputs: 10,000 characters of URL, emoji and junk stay bounded and invent nothing", () => {
    const url = `https://meetings.hubspot.com/x?t=${"1234567890".repeat(1000)}`;
    const t0 = performance.now();
    const r = parseCardText(`Jane Cooper\n${url}\n${"🚀".repeat(5000)}\n${"Head of, ".repeat(1200)}\njane@northwind.example`);
    expect(performance.now() - t0).toBeLessThan(2000);
    expect(r.fields.fullName).toBe("Jane Cooper");
    expect(r.fields.phone).toBeNull();
    expect(r.fields.website).toBeNull();
    const junk = parseCardText(`${", at | – ".repeat(2000)}\n${"Manager, Ltd ".repeat(800)}`);
    expect(junk.fields.fullName).toBeNull();
  });
});

describe("phone labels (hostile review)", () => {
  const read = (text: string) => {
    const r = parseCardText(text, { defaultRegion: "US" });
    return { phone: r.fields.phone, fax: r.fax };
  };
  it.each([
    ["Tel./Fax: +49 30 1234567", "+49301234567"],
    ["Telefon/Fax 030 1234567\nanna@acme.de", "+49301234567"],
    ["Phone/Fax: (212) 555-0100", "+12125550100"],
    ["Tel. / Fax: +49 30 1234567", "+49301234567"],
  ])("one number labelled for phone and fax (%s) is the phone, not only a fax", (line, phone) => {
    expect(read(`Anna Schmidt\nAcme GmbH\n${line}`)).toEqual({ phone, fax: null });
  });

  it("a label after the number: a fax printed first with '(fax)' is the fax, the office number the phone", () => {
    expect(read("John Carter\nAcme Inc.\n+1 212 555 0101 (fax)\n+1 212 555 0100 (office)\njohn@acme.com")).toEqual({ phone: "+12125550100", fax: "+12125550101" });
    expect(read("John Carter\nAcme Inc.\n+1 212 555 0101 Fax\n+1 212 555 0100")).toEqual({ phone: "+12125550100", fax: "+12125550101" });
  });

  it("a label before the next number still belongs to it", () => {
    expect(read("John Carter\nAcme Inc.\nPhone +1 212 555 0100 Fax +1 212 555 0101")).toEqual({ phone: "+12125550100", fax: "+12125550101" });
  });

  it("French 'Télécopie' is a fax", () => {
    expect(read("Marie Dubois\nAcme SARL\nTél. : 01 23 45 67 89\nTélécopie : 01 23 45 67 80\nmarie@acme.fr")).toEqual({ phone: "+33123456789", fax: "+33123456780" });
  });
});

describe("Vietnamese diacritics as a sign of the country (hostile review)", () => {
  it("on the name line only they do not outweigh the server's region: a US card of Phạm Minh Đức keeps its US number", () => {
    const r = parseCardText("Phạm Minh Đức\nSales Manager\nAcme Inc.\nTel 212 555 0100\nduc@acme.com", { defaultRegion: "US" });
    expect(r.fields.phone).toBe("+12125550100");
  });
  it("on two lines (name and title) they still make a national number Vietnamese", () => {
    const r = parseCardText("Nguyễn Thị Lan\nGiám đốc kinh doanh\nĐT: 0912 345 678\nlan@example.com", { defaultRegion: "US" });
    expect(r.fields.phone).toBe("+84912345678");
  });
});
