import { describe, expect, it } from "vitest";
import { channelKey } from "../../src/core/channel-key.js";
import { createDocIndex } from "../../src/knowledge/doc-index.js";
import { createChannelFacts } from "../../src/knowledge/facts.js";
import { createHarness, memoryText } from "../helpers/harness.js";
import { mapKv } from "../helpers/map-kv.js";
import { storeFixture } from "../helpers/stores.js";

const file = (path: string, text: string) => ({ path, text, hash: `h-${path}` });

const FAQ_JA = `# よくある質問

## 経費精算
経費の申請は毎月25日までに経理部へ提出してください。領収書の原本が必要です。

## 会議室
会議室の予約は総務のカレンダーから行います。`;
const DOC_ZH = `# 办公室

## 停车
员工停车场在B2层，需要门禁卡。访客请在前台登记。`;
const DOC_DE = `# Urlaub

Urlaubsanträge werden im Personalportal gestellt und von der Teamleitung genehmigt.`;
const DOC_EN = `# Deploys

We deploy on weekdays from the release branch; a rollback needs the feature flag off first.`;

describe("documents and facts in any language", () => {
  it("finds a document chunk for a question in its language asked in other words", async () => {
    const docs = createDocIndex(mapKv());
    await docs.sync(
      [
        file("faq-ja.md", FAQ_JA),
        file("office-zh.md", DOC_ZH),
        file("leave-de.md", DOC_DE),
        file("deploy.md", DOC_EN),
      ],
      [],
    );
    const top = async (q: string) => (await docs.search(q, 3))[0];
    const expense = await top("経費の申請の締め切りはいつですか");
    expect(expense?.chunk.source).toBe("faq-ja.md");
    expect(expense?.chunk.text).toContain("25日");
    expect(expense?.coverage).toBeGreaterThanOrEqual(0.5);
    expect((await top("会議室を予約するには？"))?.chunk.heading).toContain("会議室");
    const parking = await top("访客停车在哪里");
    expect(parking?.chunk.source).toBe("office-zh.md");
    expect((await top("Wer genehmigt meinen Urlaubsantrag?"))?.chunk.source).toBe("leave-de.md");
    expect((await top("how do I roll back a deployment?"))?.chunk.source).toBe("deploy.md");
    // A question sharing nothing with any document finds nothing, in any script.
    expect(await docs.search("量子コンピュータの価格", 3)).toEqual([]);
  });

  it("re-indexes a document stored by the previous version from its chunks, without the files", async () => {
    const kv = mapKv();
    await createDocIndex(kv).sync([file("faq-ja.md", FAQ_JA)], []);
    // As the previous version left it: chunks and a MiniSearch index, no search segment.
    for (const key of [...kv.data.keys()]) if (key.startsWith("k:seg2:")) kv.data.delete(key);
    kv.data.set("k:index", "{}");
    const hits = await createDocIndex(kv).search("領収書は必要ですか", 3);
    expect(hits[0]?.chunk.text).toContain("領収書");
    expect([...kv.data.keys()].some((key) => key.startsWith("k:seg2:"))).toBe(true);
  });

  it("finds a channel fact for a question in another form of its words", async () => {
    const facts = createChannelFacts(mapKv());
    await facts.learn("c", "워크숍은 금요일 오후 세 시에 시작합니다", 1);
    await facts.learn("c", "Die Besprechungen finden im Raum Elbe statt", 2);
    await facts.learn("c", "Встреча с клиентом переносится на четверг", 3);
    await facts.learn("c", "La reunión de equipo es en la sala Norte", 4);
    const first = async (q: string) => (await facts.search("c", q, 1))[0]?.fact.id;
    expect(await first("워크숍 언제 시작해요?")).toBe(1);
    expect(await first("Wo ist die Besprechung?")).toBe(2);
    expect(await first("Когда встречу с клиентом перенесли?")).toBe(3);
    expect(await first("donde es la reunion del equipo")).toBe(4);
    expect(await facts.search("other", "워크숍", 1)).toEqual([]);
  });
});

describe("retrieval in any language", () => {
  const KEY = channelKey({ platform: "console", workspace: "w1", channel: "c" });
  const CHATTER: Record<string, string[]> = {
    ko: ["점심 뭐 먹을까요", "오늘 날씨 좋네요", "커피 한 잔 하실 분", "회의록 올렸어요"],
    ja: ["お昼どうする？", "今日は暑いですね", "コーヒー飲みに行こう", "議事録を共有しました"],
    zh: ["中午吃什么", "今天天气不错", "谁要喝咖啡", "会议纪要已经发了"],
    ru: ["что на обед?", "сегодня жарко", "кто хочет кофе", "я отправил протокол"],
  };
  const cases = [
    ["ko", "다음 워크숍은 부산에서 열립니다", "워크숍 장소가 어디예요?", "부산"],
    ["ja", "新しいサーバーの管理者は田中さんです", "サーバー管理は誰が担当？", "田中"],
    ["zh", "新办公室的网络密码由王经理负责管理", "办公室网络密码归谁管", "王经理"],
    ["ru", "Встречу с поставщиком перенесли на пятницу", "когда встреча с поставщиком?", "пятницу"],
  ] as const;

  it.each(cases)(
    "in %s, brings back a fact from far back for a question in other forms",
    async (lang, fact, question, answer) => {
      const h = await createHarness({
        kv: await storeFixture("memory").open(),
        settings: { defaultMode: "retrieval", maxPromptTokens: 600, listen: "all" },
      });
      const chatter = CHATTER[lang] as string[];
      for (let i = 0; i < 20; i++) await h.overhear("c", `u${i % 3}`, `${chatter[i % chatter.length]} ${i}`);
      await h.overhear("c", "ann", fact);
      for (let i = 0; i < 200; i++) await h.overhear("c", `u${i % 3}`, `${chatter[i % chatter.length]} ${i}`);
      await h.say("c", "dan", question);
      expect(memoryText(h.model.requests[0]?.messages ?? [])).toContain(answer);
      expect((await h.store.load(KEY)).next).toBe(222);
    },
  );
});
