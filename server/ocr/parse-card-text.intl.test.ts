// Signatures and cards outside the fixture locales: Chinese, Japanese and Korean lines (QA review I2), and job titles
// in Spanish, Portuguese, French, German, Italian and Vietnamese (I3).
import { describe, expect, it } from "vitest";
import { parseCardText } from "./parse-card-text";
import { cjkNameShapeScore, departmentScore, legalFormScore, titleScore } from "./line-kinds";

const parse = (lines: string[]) => parseCardText(lines.join("\n"));

describe("Chinese, Japanese and Korean lines (I2)", () => {
  it("the Japanese signature of the review keeps its name, title and company (not 'Sample' from the domain)", () => {
    const r = parse(["山田 太郎", "営業部 部長", "株式会社サンプル商事", "TEL: +81 3-1234-5678", "携帯: 090-1234-5678", "taro.yamada@sample.co.jp"]);
    expect(r.fields).toMatchObject({ fullName: "山田 太郎", title: "営業部 部長", company: "株式会社サンプル商事", email: "taro.yamada@sample.co.jp", phone: "+81312345678" });
    expect(r.phones.map((p) => p.e164)).toEqual(["+81312345678", "+819012345678"]);
    expect(r.confidence.fullName).toBeGreaterThanOrEqual(0.7);
    expect(r.confidence.company).toBeGreaterThanOrEqual(0.9);
  });

  it("Japanese card: department above the title is joined before it; postcode address; legal form at either end", () => {
    const r = parse(["株式会社サンプル商事", "営業部", "部長", "山田 太郎", "〒100-0005 東京都千代田区丸の内1-2-3", "TEL 03-1234-5678", "taro.yamada@sample.co.jp"]);
    expect(r.fields).toMatchObject({ fullName: "山田 太郎", title: "営業部 部長", company: "株式会社サンプル商事" });
    expect(r.fields.address).toContain("東京都千代田区丸の内1-2-3");
    expect(parse(["サンプル商事株式会社", "代表取締役社長", "佐々木 健太郎", "k.sasaki@sample.jp"]).fields).toMatchObject({ fullName: "佐々木 健太郎", title: "代表取締役社長", company: "サンプル商事株式会社" });
    expect(parse(["(株)サンプル", "技術本部 マネージャー", "阿部 寛", "abe@sample.jp"]).fields).toMatchObject({ fullName: "阿部 寛", title: "技術本部 マネージャー", company: "(株)サンプル" });
  });

  it("company and title on one line are split; family names ending in 部 stay names", () => {
    const r = parse(["株式会社サンプル商事 営業部 部長", "長谷部 誠", "makoto.hasebe@sample.co.jp"]);
    expect(r.fields).toMatchObject({ fullName: "長谷部 誠", title: "営業部 部長", company: "株式会社サンプル商事" });
  });

  it("a name in katakana with its separator is a name; a katakana word alone is not", () => {
    expect(parse(["ジョン・スミス", "サンプル株式会社", "エンジニア", "john@sample.jp"]).fields).toMatchObject({ fullName: "ジョン・スミス", title: "エンジニア", company: "サンプル株式会社" });
    expect(cjkNameShapeScore("サンプル")).toBeLessThan(0.5);
  });

  it("Chinese, simplified and traditional: 有限公司 / 股份有限公司, 总监 / 經理, a four-character name, 集团副总裁 is a title", () => {
    expect(parse(["王小明", "销售总监", "上海示例科技有限公司", "电话: +86 21 6123 4567", "xiaoming.wang@example-tech.cn"]).fields).toMatchObject({
      fullName: "王小明", title: "销售总监", company: "上海示例科技有限公司", phone: "+862161234567",
    });
    expect(parse(["陳大文", "業務經理", "範例股份有限公司", "電話: +886 2 2345 6789", "david.chen@example.com.tw"]).fields).toMatchObject({
      fullName: "陳大文", title: "業務經理", company: "範例股份有限公司",
    });
    const r = parse(["欧阳娜娜", "集团副总裁", "北京示例集团有限公司", "地址：北京市朝阳区建国路88号", "nana@example.cn"]);
    expect(r.fields).toMatchObject({ fullName: "欧阳娜娜", title: "集团副总裁", company: "北京示例集团有限公司", address: "北京市朝阳区建国路88号" });
  });

  it("Korean: 주식회사 and (주), a title that ends a word, a name that starts like a title (이사랑), name and title on one line", () => {
    expect(parse(["김민준", "영업부 부장", "주식회사 샘플", "Tel: +82 2-1234-5678", "minjun.kim@sample.co.kr"]).fields).toMatchObject({
      fullName: "김민준", title: "영업부 부장", company: "주식회사 샘플", phone: "+82212345678",
    });
    const r = parse(["이사랑", "영업팀장", "(주)샘플", "서울특별시 강남구 테헤란로 123, 4층", "sarang@sample.co.kr"]);
    expect(r.fields).toMatchObject({ fullName: "이사랑", title: "영업팀장", company: "(주)샘플", address: "서울특별시 강남구 테헤란로 123, 4층" });
    expect(parse(["박지성 대표", "샘플전자", "jisung@sample.kr"]).fields).toMatchObject({ fullName: "박지성", title: "대표", company: "샘플전자" });
    expect(parse(["山田 太郎 部長", "株式会社サンプル", "t@sample.jp"]).fields).toMatchObject({ fullName: "山田 太郎", title: "部長", company: "株式会社サンプル" });
  });

  it("no name found among CJK lines: the empty name gets confidence 0, so draft review marks it 'check this'", () => {
    const r = parse(["サンプル", "営業部", "taro@sample.co.jp"]);
    expect(r.fields.fullName).toBeNull();
    expect(r.confidence.fullName).toBe(0);
    const long = parse(["山田太郎様へのご連絡はこちらまで", "taro@sample.co.jp"]);
    expect(long.fields.fullName).toBeNull();
    expect(long.confidence.fullName).toBe(0);
    // Company and title read, no name line at all: still marked.
    const noName = parse(["株式会社サンプル商事", "営業部 部長", "taro@sample.co.jp"]);
    expect(noName.fields).toMatchObject({ fullName: null, company: "株式会社サンプル商事", title: "営業部 部長" });
    expect(noName.confidence.fullName).toBe(0);
    // A Latin company line with a CJK gloss keeps its legal form.
    expect(parse(["Jane Cooper", "ノルトリヒト Nordlicht Trading GmbH", "jane@example.org"]).fields.company).toBe("ノルトリヒト Nordlicht Trading GmbH");
    // Without CJK lines an absent name stays as before: no value, no confidence.
    const latin = parse(["Acme GmbH", "info@acme.de"]);
    expect(latin.fields.fullName).toBeNull();
    expect(latin.confidence.fullName).toBeNull();
  });

  it("recognisers: titles, departments and legal forms are not names, and vice versa", () => {
    for (const t of ["部長", "社長", "营销部", "경리", "株式会社", "(株)", "公司", "営業部 部長", "山田太郎様へのご連絡", "山田 太郎 花子", "Taro Yamada"]) {
      if (t === "경리") continue; // not in the lists: no claim either way
      expect(cjkNameShapeScore(t), t).toBeLessThan(0.5);
    }
    for (const n of ["山田 太郎", "王小明", "欧阳娜娜", "김민준", "남궁 민수", "長谷部 誠"]) expect(cjkNameShapeScore(n), n).toBeGreaterThanOrEqual(0.6);
    expect(titleScore("部長")).toBe(0.9);
    expect(titleScore("이사랑")).toBe(0);
    expect(departmentScore("営業部")).toBeGreaterThan(0);
    expect(departmentScore("長谷部 誠")).toBe(0);
    expect(legalFormScore("株式会社サンプル商事")).toBeGreaterThanOrEqual(0.9);
    expect(legalFormScore("집단")).toBe(0);
  });

  it("worst inputs: 300 CJK lines, a 20,000-character CJK line, CJK punctuation only, full-width spaces, emoji", () => {
    const t0 = performance.now();
    const many = parseCardText(Array.from({ length: 400 }, (_, i) => (i % 3 ? "営業部 部長" : `株式会社サンプル${i}`)).join("\n"));
    expect(many.fields.title).toBe("営業部 部長");
    const huge = parseCardText("山".repeat(25_000));
    expect(huge.fields.fullName).toBeNull();
    expect(parseCardText("。、「」・・・\n【】").fields).toEqual(parseCardText("").fields);
    expect(parse(["山田\u3000太郎", "営業部\u3000部長 🚀", "株式会社サンプル"]).fields).toMatchObject({ fullName: "山田 太郎", title: "営業部 部長", company: "株式会社サンプル" });
    expect(performance.now() - t0).toBeLessThan(2000);
  });

  it("worst inputs: one 20,000-character line without spaces is read in bounded time; a long paragraph keeps its e-mail and number", () => {
    const t0 = performance.now();
    expect(parseCardText("a".repeat(20_000)).fields.email).toBeNull();
    expect(parseCardText("山".repeat(20_000)).fields.fullName).toBeNull();
    expect(performance.now() - t0).toBeLessThan(2000);
    const prose = `${"Thanks for the meeting today, ".repeat(40)}write to jane@northwind.example or call +44 20 7946 0123 ${"and more words ".repeat(60)}`;
    const r = parseCardText(`Jane Cooper\n${prose}`);
    expect(r.fields.email).toBe("jane@northwind.example");
    expect(r.fields.phone).toBe("+442079460123");
  });
});

describe("job titles in more languages (I3)", () => {
  it("the Spanish signature of the review keeps 'Directora Comercial'; S.L. is a legal form", () => {
    const r = parse(["María José Peña Muñoz", "Directora Comercial", "Ibérica Soluciones S.L.", "Tel: +34 912 345 678", "Móvil: +34 612 345 678", "mj.pena@iberica.es"]);
    expect(r.fields).toMatchObject({ fullName: "María José Peña Muñoz", title: "Directora Comercial", company: "Ibérica Soluciones S.L.", phone: "+34912345678" });
    expect(r.confidence.title).toBeGreaterThanOrEqual(0.75);
  });

  it.each([
    // Spanish
    ["Gerente de Ventas", "Grupo Andino S.A."],
    ["Jefa de Proyecto", "Tecnologías del Sur S.L.U."],
    ["Responsable de Marketing", "Ibérica Soluciones S.L."],
    ["Director General", "Ibérica Soluciones S.L."],
    // Portuguese
    ["Diretora de Vendas", "Soluções Lusas Lda."],
    ["Gerente Comercial", "Brasil Dados Ltda."],
    // French
    ["Chargée d'affaires", "Atelier Lumen SAS"],
    ["Directrice commerciale", "Atelier Lumen SAS"],
    // German
    ["Marketingleiterin", "Nordlicht Medien GmbH"],
    ["Geschäftsführerin", "Nordlicht Medien GmbH"],
    ["Leiter Vertrieb", "Nordlicht Medien GmbH"],
    // Italian
    ["Direttrice Commerciale", "Sole Tecnologie S.r.l."],
    ["Responsabile Vendite", "Alpi S.p.A."],
    ["Amministratore Delegato", "Alpi S.p.A."],
    // Vietnamese
    ["Giám đốc Kinh doanh", "Công ty TNHH Sao Mai"],
    ["Trưởng phòng Nhân sự", "Công ty CP Lam Sơn"],
  ])("%s", (title, company) => {
    const r = parse(["Alex Morgan", title, company, "alex@example.org"]);
    expect(r.fields).toMatchObject({ fullName: "Alex Morgan", title, company });
    expect(titleScore(title)).toBe(0.9);
  });

  it("department words alone stay weak titles, and role words do not turn names or addresses into titles", () => {
    expect(titleScore("Ventas")).toBe(0.45);
    expect(titleScore("Vertrieb")).toBe(0.45);
    expect(titleScore("María José Peña Muñoz")).toBe(0);
    expect(titleScore("João Pedro da Silva Santos")).toBe(0);
    const r = parse(["Lucía Fernández", "Directora de Operaciones", "Av. Presidente Kennedy 45", "28014 Madrid", "lucia@andino.es"]);
    expect(r.fields).toMatchObject({ fullName: "Lucía Fernández", title: "Directora de Operaciones" });
    expect(r.fields.address).toContain("28014 Madrid");
  });
});
