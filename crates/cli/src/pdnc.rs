//! `kulisy eval pdnc DIR`: speaker attribution measured on data in the
//! format of the Project Dialogism Novel Corpus: one folder per novel with
//! `novel_text.txt`, `character_info.csv` and `quotation_info.csv`.
//!
//! Two settings: **gold**, where the annotated quotation spans and character
//! list are given and only attribution is measured; and **end-to-end**, where
//! kulisy finds quotations and characters itself, a gold quotation counting
//! as found when a detected one overlaps it, and a speaker as right when one
//! of its names is one of the gold speaker's names.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context};
use kulisy_extract::cast::cast_from;
use kulisy_model::{Document, Entity, EntityKind, Gender, QuoteKind, Quotation, Span};

/// One annotated character.
pub struct Character {
    pub name: String,
    /// Marked as the narrator (PDNC's `_narr` alias).
    pub narrator: bool,
    pub aliases: Vec<String>,
    pub gender: Option<Gender>,
    /// How the list ranks the character: `major` 3, `intermediate` 2, `minor` 1, else 0.
    pub rank: u8,
}

/// One annotated quotation.
pub struct GoldQuote {
    /// Byte spans of its pieces in the original text.
    pub pieces: Vec<Span>,
    pub speaker: String,
    pub addressees: Vec<String>,
    /// `Explicit`, `Anaphoric` or `Implicit`.
    pub kind: String,
    /// The annotation's own id (`Q12`).
    pub id: String,
}

pub struct Novel {
    pub name: String,
    pub text: Vec<u8>,
    pub characters: Vec<Character>,
    pub quotes: Vec<GoldQuote>,
}

impl Novel {
    /// The character a name in the annotations stands for: by main name,
    /// else by alias.
    pub fn character_of(&self, name: &str) -> Option<usize> {
        self.characters.iter().position(|c| c.name == name).or_else(|| self.characters.iter().position(|c| c.aliases.iter().any(|a| a == name)))
    }
}

/// The strings of a Python literal list or set: `['a', "b's"]`.
pub fn py_strings(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\'' || c == '"' {
            let mut v = String::new();
            while let Some(d) = chars.next() {
                match d {
                    '\\' => {
                        if let Some(e) = chars.next() {
                            v.push(match e {
                                'n' => '\n',
                                't' => '\t',
                                other => other,
                            });
                        }
                    }
                    d if d == c => break,
                    d => v.push(d),
                }
            }
            out.push(v);
        }
    }
    out
}

/// The integers of a Python literal, in order.
fn py_ints(s: &str) -> Vec<usize> {
    s.split(|c: char| !c.is_ascii_digit()).filter(|t| !t.is_empty()).filter_map(|t| t.parse().ok()).collect()
}

fn read_csv(path: &Path) -> anyhow::Result<Vec<BTreeMap<String, String>>> {
    let mut rdr = csv::Reader::from_path(path).with_context(|| format!("{}: cannot read", path.display()))?;
    let headers = rdr.headers().with_context(|| format!("{}: no header row", path.display()))?.clone();
    let mut rows = Vec::new();
    for (n, rec) in rdr.records().enumerate() {
        let rec = rec.with_context(|| format!("{}: row {}", path.display(), n + 2))?;
        rows.push(headers.iter().zip(rec.iter()).map(|(h, v)| (h.to_string(), v.to_string())).collect());
    }
    Ok(rows)
}

fn field<'a>(row: &'a BTreeMap<String, String>, key: &str, path: &Path) -> anyhow::Result<&'a str> {
    row.get(key).map(String::as_str).with_context(|| format!("{}: no column {key}", path.display()))
}

/// A character list may set a qualifier after a name, to tell apart two
/// roles of one person or to mark a guess: `Christopher Robin - Story`,
/// `Little Old Lady (Unknown)`. The text calls them by the name alone, so
/// that name becomes an alias too; when several characters would share it,
/// it goes to the one the list ranks highest (`major` over `intermediate`
/// over `minor`), or to none on a tie.
fn name_without_qualifiers(characters: &mut [Character]) {
    let bare = |n: &str| -> Option<String> {
        let cut = n.find(" - ").or_else(|| n.strip_suffix(')').and_then(|_| n.rfind(" (")))?;
        let b = n[..cut].trim();
        (!b.is_empty()).then(|| b.to_string())
    };
    let mut added: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (i, c) in characters.iter().enumerate() {
        for n in std::iter::once(&c.name).chain(&c.aliases) {
            if let Some(b) = bare(n) {
                let owners = added.entry(b).or_default();
                if !owners.contains(&i) {
                    owners.push(i);
                }
            }
        }
    }
    for (b, owners) in added {
        if characters.iter().any(|c| c.name == b || c.aliases.contains(&b)) {
            continue;
        }
        let top = owners.iter().map(|&i| characters[i].rank).max().unwrap_or(0);
        let best: Vec<usize> = owners.into_iter().filter(|&i| characters[i].rank == top).collect();
        if let [one] = best[..] {
            characters[one].aliases.push(b);
            characters[one].aliases.sort();
        }
    }
}

/// Reads one novel's folder.
pub fn load(dir: &Path) -> anyhow::Result<Novel> {
    let text_path = dir.join("novel_text.txt");
    let text = std::fs::read(&text_path).with_context(|| format!("{}: cannot read", text_path.display()))?;
    let chars_path = dir.join("character_info.csv");
    let mut characters = Vec::new();
    for row in read_csv(&chars_path)? {
        let name = field(&row, "Main Name", &chars_path)?.to_string();
        let all = py_strings(field(&row, "Aliases", &chars_path)?);
        // Aliases starting with `_` are annotations (`_narr`), not names in the text.
        let narrator = all.iter().any(|a| a == "_narr");
        let mut aliases: Vec<String> = all.into_iter().filter(|a| !a.starts_with('_')).collect();
        aliases.sort();
        let gender = match field(&row, "Gender", &chars_path)? {
            "M" => Some(Gender::Male),
            "F" => Some(Gender::Female),
            _ => None,
        };
        let rank = match row.get("Category").map(String::as_str) {
            Some("major") => 3,
            Some("intermediate") => 2,
            Some("minor") => 1,
            _ => 0,
        };
        characters.push(Character { name, narrator, aliases, gender, rank });
    }
    name_without_qualifiers(&mut characters);
    // Spans are character offsets; the text is UTF-8.
    let s = String::from_utf8_lossy(&text);
    let mut char_to_byte: Vec<usize> = s.char_indices().map(|(i, _)| i).collect();
    char_to_byte.push(s.len());
    let quotes_path = dir.join("quotation_info.csv");
    let mut quotes = Vec::new();
    for row in read_csv(&quotes_path)? {
        let ints = py_ints(field(&row, "quoteByteSpans", &quotes_path)?);
        let pieces: Vec<Span> = ints
            .chunks(2)
            .filter(|c| c.len() == 2)
            .filter_map(|c| Some(Span::new(*char_to_byte.get(c[0])?, *char_to_byte.get(c[1])?)))
            .collect();
        if pieces.is_empty() {
            continue;
        }
        quotes.push(GoldQuote {
            pieces,
            speaker: field(&row, "speaker", &quotes_path)?.to_string(),
            addressees: py_strings(field(&row, "addressees", &quotes_path)?),
            kind: field(&row, "quoteType", &quotes_path)?.to_string(),
            id: row.get("quoteID").cloned().unwrap_or_default(),
        });
    }
    let name = dir.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    Ok(Novel { name, text, characters, quotes })
}

/// Novel folders under `dir` (those with a `quotation_info.csv`), sorted.
/// Symbolic links are followed, so a folder of links to some of the novels
/// (a selection, a split) is read like a folder of copies; a link that
/// loops back is skipped.
pub fn novels(dir: &Path) -> anyhow::Result<Vec<PathBuf>> {
    let mut out: Vec<PathBuf> = walkdir::WalkDir::new(dir)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_name() == "quotation_info.csv")
        .filter_map(|e| e.path().parent().map(Path::to_path_buf))
        .collect();
    out.sort();
    if out.is_empty() {
        bail!("{}: no novel folders (none holds quotation_info.csv)", dir.display());
    }
    Ok(out)
}

/// Counts for one quotation type.
#[derive(Default, Clone, Copy)]
pub struct Tally {
    pub total: usize,
    pub correct: usize,
    pub addressee_total: usize,
    pub addressee_correct: usize,
}

impl Tally {
    fn add(&mut self, o: Tally) {
        self.total += o.total;
        self.correct += o.correct;
        self.addressee_total += o.addressee_total;
        self.addressee_correct += o.addressee_correct;
    }
}

fn pct(a: usize, b: usize) -> String {
    if b == 0 { "-".into() } else { format!("{:.1}", 100.0 * a as f64 / b as f64) }
}

/// The result for one novel.
pub struct NovelResult {
    pub name: String,
    pub by_type: BTreeMap<String, Tally>,
    /// Per deciding sieve (`none` when no sieve decided).
    pub by_sieve: BTreeMap<String, Tally>,
    /// End to end only: detected quotations, and how many overlap a gold one.
    pub detected: usize,
    pub detected_matching: usize,
    pub gold_found: usize,
}

/// A character as an entity kulisy can link.
fn character_entity(c: &Character) -> Entity {
    Entity {
        kind: EntityKind::Person,
        name: c.name.clone(),
        aliases: c.aliases.clone(),
        gender: c.gender,
        members: Vec::new(),
        external_id: None,
        from: None,
        until: None,
    }
}

fn entities_of(chars: &[Character]) -> Vec<Entity> {
    chars.iter().map(character_entity).collect()
}

fn document(novel: &Novel) -> anyhow::Result<Document> {
    kulisy_read::read_bytes(&novel.name, novel.text.clone(), Some(kulisy_model::SourceFormat::Text)).map_err(|e| anyhow::anyhow!("{e}"))
}

/// Gold quotations as kulisy quotations over the canonical text.
fn gold_quotations(doc: &Document, gold: &[GoldQuote]) -> Vec<Quotation> {
    let map = |s: Span| Span::new(doc.offsets.to_canonical(s.start), doc.offsets.to_canonical(s.end));
    gold.iter()
        .map(|g| {
            let pieces: Vec<Span> = g.pieces.iter().map(|p| map(*p)).collect();
            let first = pieces[0];
            let last = pieces[pieces.len() - 1];
            let is_mark = |c: Option<char>| c.is_some_and(|c| matches!(c, '"' | '“' | '”' | '\'' | '‘' | '’'));
            let start = doc.text[..first.start].chars().next_back().filter(|c| is_mark(Some(*c))).map_or(first.start, |c| first.start - c.len_utf8());
            let end = doc.text[last.end..].chars().next().filter(|c| is_mark(Some(*c))).map_or(last.end, |c| last.end + c.len_utf8());
            let block = doc.blocks.partition_point(|b| b.span.end < first.start).min(doc.blocks.len().saturating_sub(1));
            // No closing mark right after the words (or as their last
            // character): they go on in the next paragraph.
            let words_end = last.start + doc.text[last.start..last.end].trim_end().len();
            let para_end = doc.blocks.get(doc.blocks.partition_point(|b| b.span.end < words_end)).map_or(words_end, |b| b.span.end.max(words_end));
            let close = (is_mark(doc.text[..words_end].chars().next_back()) || doc.text[words_end..para_end].chars().any(|c| is_mark(Some(c)))).then_some('"');
            Quotation {
                span: Span::new(start, end),
                pieces,
                kind: QuoteKind::Speech,
                open: '"',
                close,
                parent: None,
                depth: 0,
                layers: Vec::new(),
                block,
            }
        })
        .collect()
}

/// Setting (a): gold quotations and characters given.
/// The header of the table `--attributions` writes, one row per annotated quotation.
pub const ATTRIBUTIONS_HEADER: &str = "novel\tquotation\ttype\tgold_speaker\tspeaker\tsieve\tconfidence\tgold_addressees\taddressees\tparagraph\tbyte_offset\n";

/// A table cell: no tabs or line breaks inside.
fn cell(s: &str) -> String {
    s.replace(['\t', '\n', '\r'], " ")
}

/// Setting (a). Wrong attributions (up to `show_errors`) go to `errors` with
/// their context; with `rows`, every attribution goes there as a table row.
pub fn eval_gold(novel: &Novel, show_errors: usize, errors: &mut String, mut rows: Option<&mut String>) -> anyhow::Result<NovelResult> {
    let doc = document(novel)?;
    let quotes = gold_quotations(&doc, &novel.quotes);
    let quoted = kulisy_extract::attribute::quoted_pieces(&quotes);
    let narrator = novel.characters.iter().position(|c| c.narrator);
    let cast = cast_from(&doc.text, entities_of(&novel.characters), &quoted, narrator);
    // Encounters in the narration open the scenes attribution reasons over.
    let mut dates = kulisy_extract::dates::dates(&doc, &quoted);
    let events = kulisy_extract::events::events(&doc, &quotes, &[], &cast, &mut dates);
    let attributions = kulisy_extract::attribute::attribute_quotations(&doc, &quotes, &cast, &events);
    let mut by_type: BTreeMap<String, Tally> = BTreeMap::new();
    let mut by_sieve: BTreeMap<String, Tally> = BTreeMap::new();
    for (g, a) in novel.quotes.iter().zip(&attributions) {
        let predicted = a.speaker.map(|e| cast.entities[e].name.as_str());
        let t = by_type.entry(g.kind.clone()).or_default();
        t.total += 1;
        // The annotation names a speaker by its main name or by an alias;
        // the cast's entities are the characters, in their order.
        let right = a.speaker.is_some_and(|e| novel.character_of(&g.speaker) == Some(e));
        t.correct += usize::from(right);
        if let Some(rows) = rows.as_deref_mut() {
            // Names as the character list gives them: a gold alias becomes its main name.
            let main = |n: &String| novel.character_of(n).map_or(n.clone(), |i| novel.characters[i].name.clone());
            let gold_to: Vec<String> = g.addressees.iter().map(main).collect();
            let to: Vec<&str> = a.addressees.iter().map(|&e| cast.entities[e].name.as_str()).collect();
            let q = &quotes[a.quotation];
            let _ = writeln!(
                rows,
                "{}\t{}\t{}\t{}\t{}\t{}\t{:.2}\t{}\t{}\t{}\t{}",
                cell(&novel.name),
                cell(&g.id),
                cell(&g.kind),
                cell(&main(&g.speaker)),
                cell(predicted.unwrap_or("")),
                a.sieve,
                a.confidence,
                cell(&gold_to.join("|")),
                cell(&to.join("|")),
                q.block,
                doc.offsets.to_original(q.span.start)
            );
        }
        let sv = by_sieve.entry(if a.sieve.is_empty() { "none".to_string() } else { a.sieve.to_string() }).or_default();
        sv.total += 1;
        sv.correct += usize::from(right);
        if !right && errors.lines().count() < show_errors * 4 {
            let q = &quotes[a.quotation];
            let from = doc.blocks.get(q.block).map_or(q.span.start, |b| b.span.start).max(q.span.start.saturating_sub(300));
            let to = (q.span.end + 200).min(doc.text.len());
            let context = doc.text.get(from..to).unwrap_or("").replace('\n', " ");
            let _ = writeln!(errors, "{} {} gold={} predicted={} sieve={}", novel.name, g.kind, g.speaker, predicted.unwrap_or("-"), a.sieve);
            let _ = writeln!(errors, "    {}", context);
            let _ = writeln!(errors, "    quote: {}", q.span.text(&doc.text).chars().take(100).collect::<String>().replace('\n', " "));
            let _ = writeln!(errors);
        }
        if !g.addressees.is_empty() {
            t.addressee_total += 1;
            let hit = a.addressees.first().is_some_and(|&e| g.addressees.iter().any(|n| novel.character_of(n) == Some(e)));
            t.addressee_correct += usize::from(hit);
        }
    }
    Ok(NovelResult { name: novel.name.clone(), by_type, by_sieve, detected: 0, detected_matching: 0, gold_found: 0 })
}

/// Setting (b): kulisy finds the quotations and the characters itself.
///
/// A gold quotation is found when a detected speech quotation overlaps one
/// of its pieces; its speaker is right when a name or alias of the entity
/// kulisy chose is one of the gold speaker's, or when their shorter forms
/// share one no other character has, or when both are the narrator. Gold
/// quotations not found count as wrong.
pub fn eval_end_to_end(novel: &Novel) -> anyhow::Result<NovelResult> {
    let doc = document(novel)?;
    let ex = kulisy_extract::extract(&doc);
    let gold = gold_quotations(&doc, &novel.quotes);
    let detected: Vec<usize> = ex.segmentation.quotations.iter().enumerate().filter(|(_, q)| q.kind == QuoteKind::Speech && q.parent.is_none()).map(|(i, _)| i).collect();
    // Names compared without case or a leading article (`the Invisible Man`, `Invisible Man`).
    let plain = |n: &str| -> String {
        let l = n.to_lowercase();
        l.strip_prefix("the ").map_or(l.clone(), str::to_string)
    };
    let full_names = |e: &Entity| -> Vec<String> { std::iter::once(e.name.as_str()).chain(e.aliases.iter().map(String::as_str)).map(plain).collect() };
    let names_of = |e: &Entity| -> Vec<String> {
        let mut v = full_names(e);
        let extra: Vec<String> = std::iter::once(&e.name).chain(&e.aliases).flat_map(|n| kulisy_extract::cast::name_variants(n)).map(|n| plain(&n)).collect();
        v.extend(extra);
        v
    };
    // A shorter form two characters share (`Bertram` of `Lady Bertram` and
    // `Sir Thomas Bertram`) tells neither; a full name or alias, or a
    // shorter form of one character alone, does.
    let char_full: Vec<Vec<String>> = novel.characters.iter().map(|c| full_names(&character_entity(c))).collect();
    let char_names: Vec<Vec<String>> = novel.characters.iter().map(|c| names_of(&character_entity(c))).collect();
    let mut bearers: BTreeMap<&str, usize> = BTreeMap::new();
    for names in &char_names {
        let mut own: Vec<&str> = names.iter().map(String::as_str).collect();
        own.sort();
        own.dedup();
        for n in own {
            *bearers.entry(n).or_default() += 1;
        }
    }
    let is_character = |e: &Entity, i: usize| -> bool {
        full_names(e).iter().any(|n| char_full[i].contains(n)) || names_of(e).iter().any(|n| char_names[i].contains(n) && bearers.get(n.as_str()) == Some(&1))
    };
    let overlap = |a: &[Span], b: &[Span]| a.iter().any(|x| b.iter().any(|y| x.overlaps(*y)));
    let mut by_type: BTreeMap<String, Tally> = BTreeMap::new();
    let mut by_sieve: BTreeMap<String, Tally> = BTreeMap::new();
    let mut found = 0;
    for (g, gq) in novel.quotes.iter().zip(&gold) {
        let t = by_type.entry(g.kind.clone()).or_default();
        t.total += 1;
        let hit = detected.iter().copied().find(|&d| overlap(&ex.segmentation.quotations[d].pieces, &gq.pieces));
        let Some(d) = hit else {
            by_sieve.entry("not found".into()).or_default().total += 1;
            if !g.addressees.is_empty() {
                t.addressee_total += 1;
            }
            continue;
        };
        found += 1;
        let a = &ex.attributions[d];
        let gold_char = novel.character_of(&g.speaker);
        let right = match (a.speaker, gold_char) {
            (Some(e), Some(c)) => {
                if ex.cast.narrator == Some(e) {
                    novel.characters[c].narrator
                } else {
                    is_character(&ex.cast.entities[e], c)
                }
            }
            _ => false,
        };
        t.correct += usize::from(right);
        if !g.addressees.is_empty() {
            t.addressee_total += 1;
            let hit = a.addressees.first().is_some_and(|&e| g.addressees.iter().filter_map(|n| novel.character_of(n)).any(|c| is_character(&ex.cast.entities[e], c)));
            t.addressee_correct += usize::from(hit);
        }
        let sv = by_sieve.entry(if a.sieve.is_empty() { "none".to_string() } else { a.sieve.to_string() }).or_default();
        sv.total += 1;
        sv.correct += usize::from(right);
    }
    let matching = detected.iter().filter(|&&d| gold.iter().any(|gq| overlap(&ex.segmentation.quotations[d].pieces, &gq.pieces))).count();
    Ok(NovelResult { name: novel.name.clone(), by_type, by_sieve, detected: detected.len(), detected_matching: matching, gold_found: found })
}

/// Prints the table of results.
pub fn report(setting: &str, results: &[NovelResult]) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "setting: {setting}");
    let _ = writeln!(out, "{:<34} {:>6} {:>8} {:>8} {:>9} {:>8} {:>9}", "novel", "quotes", "overall", "explicit", "anaphoric", "implicit", "addressee");
    let mut all: BTreeMap<String, Tally> = BTreeMap::new();
    let row = |name: &str, by: &BTreeMap<String, Tally>| {
        let mut sum = Tally::default();
        for t in by.values() {
            sum.add(*t);
        }
        let g = |k: &str| by.get(k).copied().unwrap_or_default();
        format!(
            "{:<34} {:>6} {:>8} {:>8} {:>9} {:>8} {:>9}",
            name,
            sum.total,
            pct(sum.correct, sum.total),
            pct(g("Explicit").correct, g("Explicit").total),
            pct(g("Anaphoric").correct, g("Anaphoric").total),
            pct(g("Implicit").correct, g("Implicit").total),
            pct(sum.addressee_correct, sum.addressee_total)
        )
    };
    for r in results {
        let _ = writeln!(out, "{}", row(&r.name, &r.by_type));
        for (k, t) in &r.by_type {
            all.entry(k.clone()).or_default().add(*t);
        }
    }
    let _ = writeln!(out, "{}", row("ALL", &all));
    let mut sieves: BTreeMap<String, Tally> = BTreeMap::new();
    for r in results {
        for (k, t) in &r.by_sieve {
            sieves.entry(k.clone()).or_default().add(*t);
        }
    }
    let total: usize = sieves.values().map(|t| t.total).sum();
    let _ = writeln!(out, "\nby deciding sieve:\n{:<22} {:>7} {:>8} {:>9}", "sieve", "quotes", "share", "accuracy");
    for (k, t) in &sieves {
        let _ = writeln!(out, "{:<22} {:>7} {:>8} {:>9}", k, t.total, pct(t.total, total), pct(t.correct, t.total));
    }
    let detected: usize = results.iter().map(|r| r.detected).sum();
    if detected > 0 {
        let matching: usize = results.iter().map(|r| r.detected_matching).sum();
        let found: usize = results.iter().map(|r| r.gold_found).sum();
        let gold: usize = all.values().map(|t| t.total).sum();
        let _ = writeln!(out, "quotation detection: precision {}%, recall {}% ({matching} of {detected} detected overlap a gold quotation; {found} of {gold} gold quotations found)", pct(matching, detected), pct(found, gold));
    }
    out
}
