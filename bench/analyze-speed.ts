/**
 * How long src/search/analyze takes per chat line, after warm-up: English IRC lines (the repo's Ubuntu log),
 * IRC lines full of commands, paths and URLs, Japanese, Russian and mixed-script lines. The old index's tokenizer
 * (MiniSearch's default split plus the English stop list) is timed on the same lines for comparison.
 * Run: npx tsx bench/analyze-speed.ts   (not part of bench/run.ts)
 *
 * 2026-12-06, load average 5.1 on 2 cores, µs per line wall / CPU (old tokenizer in brackets): English IRC
 * (11 words) 8.2 / 7.7 (2.8); IRC with commands/paths/URLs (15 words) 16.1 / 15.4 (5.7); Japanese (~40
 * characters, 37 terms) 37.3 / 35.6 (1.3), half of it Intl.Segmenter; Russian (11 words) 8.9 / 8.3 (2.6); mixed
 * scripts and code 34.2 / 30.9 (4.0).
 */
import { readFileSync } from "node:fs";
import os from "node:os";
import { performance } from "node:perf_hooks";
import MiniSearch from "minisearch";
import { INDEX_OPTIONS } from "../src/memory/retrieval/legacy/index-options.js";
import { analyze } from "../src/search/analyze.js";

const IRC_LINE_RE = /^\[\d\d:\d\d\] <[^>]+> (.+)$/;
const irc = readFileSync(new URL("./fixtures/ubuntu-2016-06-08_07.raw.txt", import.meta.url), "utf8")
  .split("\n")
  .map((l) => IRC_LINE_RE.exec(l)?.[1])
  .filter((l): l is string => l !== undefined && l.length > 0);
const CODE_RE = /[-/.:_]\w|https?:|sudo|\d/;

const JAPANESE = [
  "昨日のアップデートの後でサーバーが起動しなくなったので、ログを確認してもらえますか",
  "会議室で午後三時から新しいリリースの打ち合わせをしますので、資料を準備してください",
  "ネットワークの設定を変更したら、社内のWi-Fiにつながらなくなりました",
  "ディスクの容量が足りないので、古いバックアップを削除してもいいですか",
  "来週の月曜日に東京のオフィスでワークショップを開催する予定です",
  "このエラーメッセージの意味が分からないので、誰か教えてください",
  "テスト環境のデータベースが遅いので、インデックスを追加しました",
  "新しいノートパソコンが届いたら、開発環境のセットアップを手伝います",
];
const RUSSIAN = [
  "после вчерашнего обновления сервер перестал загружаться, можешь посмотреть логи, пожалуйста",
  "давайте перенесём встречу по новому релизу на завтра на три часа дня",
  "я поменял настройки сети и теперь не могу подключиться к офисному вайфаю",
  "на диске почти не осталось места, можно удалить старые резервные копии",
  "в понедельник в московском офисе будет семинар для всех разработчиков",
  "не понимаю, что значит эта ошибка при сборке, кто-нибудь сталкивался раньше",
  "база данных в тестовом окружении работает медленно, я добавил индекс",
  "когда придёт новый ноутбук, помогу настроить окружение для разработки",
];
const MIXED = [
  "sudo apt-get install nvidia-driver-470 の後で Xorg が起動しない、/var/log/Xorg.0.log を見て",
  "попробуй sudo systemctl restart NetworkManager, потом проверь /etc/resolv.conf",
  "我用 ubuntu 16.04，运行 apt-get update 的时候出现 404 错误 https://archive.ubuntu.com",
  "Die Datei ~/.bashrc wird nicht geladen, wenn ich ssh user@host.example.org mache",
  "워크숍은 내일 10:30 회의실에서 합니다, slides 는 https://example.com/ws-2024.pdf",
  "la reunión de mañana es a las 10:30, revisad el PR #1234 en github.com/org/repo",
];

const tokenize = MiniSearch.getDefault("tokenize") as (text: string) => string[];
const processTerm = INDEX_OPTIONS.processTerm as (term: string) => string | null;
const oldAnalyze = (text: string) => tokenize(text).map(processTerm);

/**
 * Mean microseconds per line, wall and CPU (this 2-core machine is shared: CPU time is the steadier figure when
 * the load average is above 2), over 20,000 lines after a warm-up of the same size.
 */
function usPerLine(lines: readonly string[], fn: (line: string) => unknown): string {
  const passes = Math.max(5, Math.ceil(20_000 / lines.length));
  for (let p = 0; p < passes; p++) for (const l of lines) fn(l);
  const start = performance.now();
  const cpu = process.cpuUsage();
  for (let p = 0; p < passes; p++) for (const l of lines) fn(l);
  const used = process.cpuUsage(cpu);
  const n = passes * lines.length;
  return `${(((performance.now() - start) * 1000) / n).toFixed(1)} / ${((used.user + used.system) / n).toFixed(1)}`;
}

const sets: Array<[string, readonly string[]]> = [
  ["English IRC (Ubuntu log)", irc],
  ["IRC lines with commands/paths/URLs", irc.filter((l) => CODE_RE.test(l))],
  ["Japanese", JAPANESE],
  ["Russian", RUSSIAN],
  ["mixed scripts and code", MIXED],
];
console.log(
  `Node ${process.version}, load average ${os.loadavg()[0]?.toFixed(2)} on ${os.cpus().length} cores`,
);
console.log(`| lines | n | words/line | terms/line | analyze µs/line, wall / CPU | old tokenizer µs/line |`);
console.log(`| --- | --: | --: | --: | --: | --: |`);
for (const [name, lines] of sets) {
  const words = lines.reduce((n, l) => n + l.split(/\s+/).length, 0) / lines.length;
  const terms = lines.reduce((n, l) => n + analyze(l).terms.length, 0) / lines.length;
  const us = usPerLine(lines, (l) => analyze(l));
  const old = usPerLine(lines, oldAnalyze);
  console.log(`| ${name} | ${lines.length} | ${words.toFixed(1)} | ${terms.toFixed(1)} | ${us} | ${old} |`);
}
