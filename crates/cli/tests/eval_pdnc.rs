//! `kulisy eval pdnc` on a PDNC-format folder it has never seen, and on one
//! novel of the benchmark.

mod common;

use common::kulisy;

fn write(dir: &std::path::Path, name: &str, text: &str) {
    std::fs::write(dir.join(name), text).unwrap_or_else(|e| panic!("{name}: {e}"));
}

/// Character offsets of `needle` in `text` (the format's offsets count characters).
fn span(text: &str, needle: &str) -> (usize, usize) {
    let b = text.find(needle).unwrap_or_else(|| panic!("no {needle}"));
    let s = text[..b].chars().count();
    (s, s + needle.chars().count())
}

/// The header row of `quotation_info.csv`.
const QUOTES_HEADER: &str = "\"quoteID\",\"quoteText\",\"subQuotationList\",\"quoteByteSpans\",\"speaker\",\"addressees\",\"quoteType\",\"referringExpression\",\"mentionTextsList\",\"mentionSpansList\",\"mentionEntitiesList\"\n";

/// One row of `quotation_info.csv`: the quoted `words` of `text`, their
/// speaker, addressees (a Python list literal) and type.
fn quote_row(text: &str, id: &str, words: &str, speaker: &str, to: &str, kind: &str) -> String {
    let (s, e) = span(text, words);
    format!("\"{id}\",\"{words}\",\"['{words}']\",\"[[{s}, {e}]]\",\"{speaker}\",\"{to}\",\"{kind}\",\"nan\",\"[]\",\"[]\",\"[]\"\n")
}

/// Runs `kulisy eval pdnc` on `root` with `--attributions`: the report and
/// the table's rows.
fn evaluate(root: &std::path::Path) -> (String, Vec<Vec<String>>) {
    let table = root.join("attributions.tsv");
    let out = kulisy(&["eval", "pdnc", root.to_str().unwrap_or(""), "--attributions", table.to_str().unwrap_or("")]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let rows = std::fs::read_to_string(&table).unwrap_or_else(|e| panic!("{e}"));
    let rows = rows.lines().map(|l| l.split('\t').map(str::to_string).collect()).collect();
    (String::from_utf8_lossy(&out.stdout).into_owned(), rows)
}

#[test]
fn a_new_folder_in_the_format_is_scored() {
    let root = std::env::temp_dir().join(format!("kulisy-pdnc-{}", std::process::id()));
    let novel = root.join("TinyNovel");
    std::fs::create_dir_all(&novel).unwrap_or_else(|e| panic!("{e}"));
    let text = "After dinner, Anna sat with Mr. Brook.\n\n\"It is a fine evening,\" said Mr. Brook.\n\n\"It is, sir. The garden is lovely.\"\n\n\"Then let us walk in it,\" he replied.\n";
    write(&novel, "novel_text.txt", text);
    write(
        &novel,
        "character_info.csv",
        "Character ID,Main Name,Aliases,Gender,Category\n0,Anna,\"{'Anna'}\",F,major\n1,Mr. Brook,\"{'Mr. Brook', 'Brook'}\",M,major\n",
    );
    let q = |id: &str, words: &str, speaker: &str, to: &str, kind: &str| quote_row(text, id, words, speaker, &format!("['{to}']"), kind);
    let mut quotes = String::from(QUOTES_HEADER);
    quotes.push_str(&q("Q0", "It is a fine evening,", "Mr. Brook", "Anna", "Explicit"));
    quotes.push_str(&q("Q1", "It is, sir. The garden is lovely.", "Anna", "Mr. Brook", "Implicit"));
    quotes.push_str(&q("Q2", "Then let us walk in it,", "Brook", "Anna", "Anaphoric"));
    write(&novel, "quotation_info.csv", &quotes);

    let (report, rows) = evaluate(&root);
    // One row per annotated quotation, the gold alias given as its main name.
    assert_eq!(rows.len(), 4, "{rows:?}");
    assert_eq!(&rows[0][..6], &["novel", "quotation", "type", "gold_speaker", "speaker", "sieve"]);
    assert_eq!(&rows[3][..6], &["TinyNovel", "Q2", "Anaphoric", "Mr. Brook", "Mr. Brook", "speech-verb-after"]);
    assert_eq!(rows[2][7], "Mr. Brook");
    // Every quotation right in both settings: a speaker named by an alias counts.
    let rows: Vec<&str> = report.lines().filter(|l| l.starts_with("TinyNovel")).collect();
    assert_eq!(rows.len(), 2, "{report}");
    for row in rows {
        let cols: Vec<&str> = row.split_whitespace().collect();
        assert_eq!(&cols[1..6], &["3", "100.0", "100.0", "100.0", "100.0"], "{report}");
    }
    assert!(report.contains("quotation detection: precision 100.0%, recall 100.0%"), "{report}");
    let _ = std::fs::remove_dir_all(&root);
}

#[test]
fn end_to_end_a_family_name_two_characters_share_names_neither() {
    let root = std::env::temp_dir().join(format!("kulisy-pdnc-family-{}", std::process::id()));
    let novel = root.join("FamilyNovel");
    std::fs::create_dir_all(&novel).unwrap_or_else(|e| panic!("{e}"));
    let text = "Mr. Brook and Mrs. Brook came in with Anna.\n\n\"We are late,\" said Mrs. Brook.\n\n\"Not at all,\" said Anna.\n";
    write(&novel, "novel_text.txt", text);
    write(
        &novel,
        "character_info.csv",
        "Character ID,Main Name,Aliases,Gender,Category\n0,Anna,\"{'Anna'}\",F,major\n1,Mr. Brook,\"{'Mr. Brook'}\",M,major\n2,Mrs. Brook,\"{'Mrs. Brook'}\",F,major\n",
    );
    // The first is annotated (against the text) as the husband's: kulisy's
    // `Mrs. Brook` shares only `Brook` with him, which is no match.
    let mut quotes = String::from(QUOTES_HEADER);
    quotes.push_str(&quote_row(text, "Q0", "We are late,", "Mr. Brook", "['Anna']", "Explicit"));
    quotes.push_str(&quote_row(text, "Q1", "Not at all,", "Anna", "['Mrs. Brook']", "Explicit"));
    write(&novel, "quotation_info.csv", &quotes);
    let (report, _) = evaluate(&root);
    let end_to_end = report.split("setting: (b)").nth(1).unwrap_or("");
    let row: Vec<&str> = end_to_end.lines().find(|l| l.starts_with("FamilyNovel")).unwrap_or("").split_whitespace().collect();
    assert_eq!(row.get(2), Some(&"50.0"), "{report}");
    let _ = std::fs::remove_dir_all(&root);
}

#[test]
fn a_folder_without_novels_is_refused() {
    let root = std::env::temp_dir().join(format!("kulisy-pdnc-empty-{}", std::process::id()));
    std::fs::create_dir_all(&root).unwrap_or_else(|e| panic!("{e}"));
    let out = kulisy(&["eval", "pdnc", root.to_str().unwrap_or("")]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no novel folders"));
    let _ = std::fs::remove_dir_all(&root);
}

#[test]
fn a_folder_of_links_to_novels_is_read_like_a_folder_of_novels() {
    let root = std::env::temp_dir().join(format!("kulisy-pdnc-links-{}", std::process::id()));
    std::fs::create_dir_all(&root).unwrap_or_else(|e| panic!("{e}"));
    let novel = std::fs::canonicalize(common::corpus().join("../bench/pdnc/data/DaisyMiller")).unwrap_or_else(|e| panic!("{e}"));
    std::os::unix::fs::symlink(&novel, root.join("DaisyMiller")).unwrap_or_else(|e| panic!("{e}"));
    // A link back to the folder itself does not make the walk go round.
    std::os::unix::fs::symlink(&root, root.join("loop")).unwrap_or_else(|e| panic!("{e}"));
    let out = kulisy(&["eval", "pdnc", root.to_str().unwrap_or("")]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let report = String::from_utf8_lossy(&out.stdout);
    assert_eq!(report.lines().filter(|l| l.starts_with("DaisyMiller")).count(), 2, "{report}");
    let _ = std::fs::remove_dir_all(&root);
}

#[test]
fn one_benchmark_novel_is_attributed_as_measured() {
    // A guard against regressions, well below the figure in BENCHMARKS.md.
    let root = common::corpus().join("../bench/pdnc/data/DaisyMiller");
    let out = kulisy(&["eval", "pdnc", root.to_str().unwrap_or("")]);
    let report = String::from_utf8_lossy(&out.stdout);
    let gold = report.lines().find(|l| l.starts_with("DaisyMiller")).unwrap_or("");
    let overall: f64 = gold.split_whitespace().nth(2).and_then(|v| v.parse().ok()).unwrap_or(0.0);
    assert!(overall >= 80.0, "{report}");
}

#[test]
fn a_name_the_list_qualifies_answers_to_the_name_alone() {
    // `Robin - Story` and `Robin - Frame` are one boy in two roles; the text
    // says `Robin`, which goes to the one the list ranks higher. `Old Lady
    // (Unknown)` is called `Old Lady`.
    let root = std::env::temp_dir().join(format!("kulisy-pdnc-qualified-{}", std::process::id()));
    let novel = root.join("Qualified");
    std::fs::create_dir_all(&novel).unwrap_or_else(|e| panic!("{e}"));
    let text = "Robin went into the wood, where the Old Lady lived.\n\n\"Good morning,\" said Robin.\n\n\"Good morning to you,\" said the Old Lady.\n";
    write(&novel, "novel_text.txt", text);
    write(
        &novel,
        "character_info.csv",
        "Character ID,Main Name,Aliases,Gender,Category\n0,Robin - Frame,{'Robin - Frame'},M,intermediate\n1,Robin - Story,{'Robin - Story'},M,major\n2,Old Lady (Unknown),\"{'Old Lady (Unknown)'}\",F,minor\n",
    );
    let q = |id: &str, words: &str, speaker: &str, kind: &str| quote_row(text, id, words, speaker, "[]", kind);
    let mut quotes = String::from(QUOTES_HEADER);
    quotes.push_str(&q("Q0", "Good morning,", "Robin - Story", "Explicit"));
    quotes.push_str(&q("Q1", "Good morning to you,", "Old Lady (Unknown)", "Explicit"));
    write(&novel, "quotation_info.csv", &quotes);
    let (_, rows) = evaluate(&root);
    assert_eq!(&rows[1][3..5], &["Robin - Story", "Robin - Story"], "{rows:?}");
    assert_eq!(&rows[2][3..5], &["Old Lady (Unknown)", "Old Lady (Unknown)"], "{rows:?}");
    let _ = std::fs::remove_dir_all(&root);
}

#[test]
fn a_title_the_list_leaves_out_still_names_the_speaker() {
    // The list knows Adela Quested; the text says `said Miss Quested`, once
    // across a line break.
    let root = std::env::temp_dir().join(format!("kulisy-pdnc-titled-{}", std::process::id()));
    let novel = root.join("Titled");
    std::fs::create_dir_all(&novel).unwrap_or_else(|e| panic!("{e}"));
    let text = "Adela Quested and Mrs. Moore sat with Mrs. Lesley.\n\n\"As if one could avoid seeing them,\" sighed Mrs. Lesley.\n\n\"I have avoided,\" said Miss Quested. \"I have scarcely spoken to anyone.\"\n\n\"Oh, lucky you.\"\n\n\"But I want to see them,\" said\nMiss Quested.\n";
    write(&novel, "novel_text.txt", text);
    write(
        &novel,
        "character_info.csv",
        "Character ID,Main Name,Aliases,Gender,Category\n0,Adela Quested,\"{'Adela Quested', 'Adela'}\",F,major\n1,Mrs. Moore,{'Mrs. Moore'},F,major\n2,Mrs. Lesley,{'Mrs. Lesley'},F,minor\n",
    );
    let q = |id: &str, words: &str, speaker: &str, kind: &str| quote_row(text, id, words, speaker, "[]", kind);
    let mut quotes = String::from(QUOTES_HEADER);
    quotes.push_str(&q("Q0", "As if one could avoid seeing them,", "Mrs. Lesley", "Explicit"));
    quotes.push_str(&q("Q1", "I have avoided,", "Adela Quested", "Explicit"));
    quotes.push_str(&q("Q2", "Oh, lucky you.", "Mrs. Lesley", "Implicit"));
    quotes.push_str(&q("Q3", "But I want to see them,", "Adela Quested", "Explicit"));
    write(&novel, "quotation_info.csv", &quotes);
    let (_, rows) = evaluate(&root);
    for row in [&rows[2], &rows[4]] {
        assert_eq!(&row[3..6], &["Adela Quested", "Adela Quested", "speech-verb-after"], "{rows:?}");
    }
    let _ = std::fs::remove_dir_all(&root);
}

#[test]
fn he_or_she_is_never_the_narrator_of_a_first_person_novel() {
    // The narrator is a man, as is the one he talks to: `he said` is the other.
    let root = std::env::temp_dir().join(format!("kulisy-pdnc-narrator-{}", std::process::id()));
    let novel = root.join("FirstPerson");
    std::fs::create_dir_all(&novel).unwrap_or_else(|e| panic!("{e}"));
    let mut text = "I walked home and I thought about the day, as I often do when I am alone. ".repeat(14);
    text.push_str("I found Poirot in the library, and I showed him the paper.\n\n\"Is this a will?\" I cried.\n\n\"Exactly,\" he said.\n\n\"You are not surprised?\"\n\n\"No,\" he said gravely, \"I expected it.\"\n");
    write(&novel, "novel_text.txt", &text);
    write(
        &novel,
        "character_info.csv",
        "Character ID,Main Name,Aliases,Gender,Category\n0,Mr. Hastings,\"{'Hastings', '_narr'}\",M,major\n1,Hercule Poirot,\"{'Poirot', 'Hercule Poirot'}\",M,major\n",
    );
    let q = |id: &str, words: &str, speaker: &str, kind: &str| quote_row(&text, id, words, speaker, "[]", kind);
    let mut quotes = String::from(QUOTES_HEADER);
    quotes.push_str(&q("Q0", "Is this a will?", "Mr. Hastings", "Anaphoric"));
    quotes.push_str(&q("Q1", "Exactly,", "Hercule Poirot", "Anaphoric"));
    quotes.push_str(&q("Q2", "You are not surprised?", "Mr. Hastings", "Implicit"));
    quotes.push_str(&q("Q3", "No,", "Hercule Poirot", "Anaphoric"));
    write(&novel, "quotation_info.csv", &quotes);
    let (_, rows) = evaluate(&root);
    for row in &rows[1..] {
        assert_eq!(row[3], row[4], "{rows:?}");
    }
    let _ = std::fs::remove_dir_all(&root);
}
