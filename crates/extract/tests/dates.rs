//! Date expressions as the corpus writes them, with the value a careful
//! reader gives each: printed dates, dates printed without their year (and
//! the year inferred), relative times counted from their anchor, bounds,
//! approximations, seasons, decades, centuries and calendar styles.

use kulisy_model::{Document, PartialDate, SpannedDate};

/// A document of the given paragraphs, written on `written` (`YYYY-MM-DD`,
/// `YYYY-MM`, `YYYY`, or empty for none).
fn document(written: &str, paragraphs: &[&str]) -> Document {
    let mut doc = Document::from_paragraphs("table", paragraphs);
    if !written.is_empty() {
        let parts: Vec<i32> = written.split('-').map(|x| x.parse().unwrap_or_else(|_| panic!("bad date {written}"))).collect();
        let start = match parts[..] {
            [y] => PartialDate::year(y),
            [y, m] => PartialDate::month(y, m as u8).unwrap_or_else(|| panic!("bad date {written}")),
            [y, m, d] => PartialDate::day(y, m as u8, d as u8).unwrap_or_else(|| panic!("bad date {written}")),
            _ => panic!("bad date {written}"),
        };
        doc.metadata.written = Some(SpannedDate { start, end: None, text: written.into(), span: None });
    }
    doc
}

/// (document date, paragraphs joined by `¶`, the expression as found,
/// its normalised value, how it was worked out: `` for printed,
/// `document-date`, `context` or `counted`).
const TABLE: &[(&str, &str, &str, &str, &str)] = &[
    // Printed in full.
    ("", "Written: March 29, 1929.", "March 29, 1929", "1929-03-29", ""),
    ("", "The Militant, New York, Vol. 2 No. 11, July 1, 1929.", "July 1, 1929", "1929-07-01", ""),
    ("", "Last updated on: 28 May 2021", "28 May 2021", "2021-05-28", ""),
    ("", "Fourth International, Vol. 1 No. 5, October 1940, pp. 115–123.", "October 1940", "1940-10", ""),
    ("", "Proofread: Einde O’Callaghan (September 2015)", "September 2015", "2015-09", ""),
    ("", "The decision was taken on the 9th of February, 1929.", "the 9th of February, 1929", "1929-02-09", ""),
    ("", "A letter dated 29.3.1929 reached us.", "29.3.1929", "1929-03-29", ""),
    ("", "The entry for 1929-03-29 is missing.", "1929-03-29", "1929-03-29", ""),
    ("", "Sept. 3, 1939 was a Sunday.", "Sept. 3, 1939", "1939-09-03", ""),
    ("", "Discussion in Mexico City, May 31, 1938", "May 31, 1938", "1938-05-31", ""),
    ("", "born at Lovinac, Yugoslavia, June 13, 1905", "June 13, 1905", "1905-06-13", ""),
    ("", "On May 12, 1939, the Spanish government issued a passport.", "May 12, 1939", "1939-05-12", ""),
    ("", "he spoke on May 24, 1945, at the Kremlin reception", "May 24, 1945", "1945-05-24", ""),
    ("", "In September, 1946, the Moscow correspondent asked him.", "September, 1946", "1946-09", ""),
    ("", "Comrade Trotsky spoke differently to this in January, 1924.", "January, 1924", "1924-01", ""),
    ("", "the new crisis began in August 1937, and has deepened", "August 1937", "1937-08", ""),
    ("", "Jacson came to Mexico in October 1939.", "October 1939", "1939-10", ""),
    ("", "the Socialist Revolution in October, 1917, during the Civil War", "October, 1917", "1917-10", ""),
    ("", "Sidney Hillman was active in 1935.", "1935", "1935", ""),
    ("", "the insurrection of 1923 in Germany", "1923", "1923", ""),
    ("", "Merit Publishers issued it in 1969.", "1969", "1969", ""),
    ("", "the Peasants' Revolt of 1381 in England", "1381", "1381", ""),
    ("", "Lewis was president of the United Mine Workers from 1920 to 1960.", "1920 to 1960", "1920/1960", ""),
    ("", "The Belgian minister in Persia from 1904 to 1908 was not his father.", "1904 to 1908", "1904/1908", ""),
    ("", "the first crisis of 1929–1933 gave the push", "1929–1933", "1929/1933", ""),
    ("", "The Patriotic War of 1941-1945 was the gravest test.", "1941-1945", "1941/1945", ""),
    ("", "the labor-party sentiment in 1922–1924 now took place", "1922–1924", "1922/1924", ""),
    ("", "the years 1936-39 in Spain", "1936-39", "1936/1939", ""),
    ("", "between 1923 and 1927 the party changed", "between 1923 and 1927", "1923/1927", ""),
    ("", "Discussed: April 23 through July 20, 1938.", "April 23 through July 20, 1938", "1938-04-23/1938-07-20", ""),
    ("", "The congress sat May 5-7, 1925, in Moscow.", "May 5-7, 1925", "1925-05-05/1925-05-07", ""),
    ("", "Lewis (1880–1969), president of the union", "1880–1969", "1880/1969", ""),
    ("", "a Friday, March 29, 1929, session", "Friday, March 29, 1929", "1929-03-29", ""),
    // Calendars and eras.
    ("", "The rising began on October 25, 1917 (O.S.) in Petrograd.", "October 25, 1917 (O.S.)", "1917-11-07", ""),
    ("", "The strike began on January 9, 1905, old style.", "January 9, 1905, old style", "1905-01-22", ""),
    ("", "It ended on November 7, 1917 (N.S.).", "November 7, 1917 (N.S.)", "1917-11-07", ""),
    ("", "Caesar crossed the Rubicon in 49 BC.", "49 BC", "-0048", ""),
    ("", "Spartacus rose in 73 B.C. against Rome.", "73 B.C.", "-0072", ""),
    ("", "Charlemagne was crowned in AD 800.", "AD 800", "0800", ""),
    ("", "The city fell in 410 AD to the Goths.", "410 AD", "0410", ""),
    // Decades and centuries.
    ("", "the trade unions of the 1920s were weak", "the 1920s", "1920/1929", ""),
    ("", "in the early 1930s the crisis deepened", "early 1930s", "1930/1933", ""),
    ("", "the prisons of the nineteenth century", "the nineteenth century", "1801/1900", ""),
    ("", "the English revolution of the 17th century", "the 17th century", "1601/1700", ""),
    ("", "Athens in the 5th century BC", "the 5th century BC", "-0499/-0400", ""),
    // Seasons.
    ("", "Two Stalinists came to Mexico in the fall of 1937.", "the fall of 1937", "1937-09/1937-11", ""),
    ("", "in the spring of 1928 the grain crisis began", "the spring of 1928", "1928-03/1928-05", ""),
    ("", "the offensive of summer 1943", "summer 1943", "1943-06/1943-08", ""),
    ("", "the winter of 1941 was hard", "the winter of 1941", "1941-12/1942-02", ""),
    ("1968-09", "The movement grew last summer in Paris.", "last summer", "1967-06/1967-08", "counted"),
    // Approximate, parts of periods, bounds.
    ("", "This was about 1925, when the bloc formed.", "about 1925", "1925~", ""),
    ("", "a chronicle written c. 1500 in Flanders", "c. 1500", "1500~", ""),
    ("", "a manuscript of circa 1450", "circa 1450", "1450~", ""),
    ("", "Around 1930 he left the party.", "Around 1930", "1930~", ""),
    ("", "At the beginning of 1917 Lenin said so.", "At the beginning of 1917", "1917-01/1917-04", ""),
    ("", "at the end of 1910 the split was complete", "at the end of 1910", "1910-09/1910-12", ""),
    ("", "at the end of 1934 the line changed", "at the end of 1934", "1934-09/1934-12", ""),
    ("", "in mid-1936 the trials began", "mid-1936", "1936-05/1936-08", ""),
    ("", "late in 1938 the conference met", "late in 1938", "1938-09/1938-12", ""),
    ("", "early in June 1940 he withdrew the balance", "early in June 1940", "1940-06-01/1940-06-10", ""),
    ("", "the last days of August 1939 were tense", "the last days of August 1939", "1939-08-22/1939-08-31", ""),
    ("", "in the middle of March 1917 the Tsar fell", "in the middle of March 1917", "1917-03-11/1917-03-21", ""),
    ("", "Since September 1937 Trotsky’s secretaries tried to institute a system.", "Since September 1937", "1937-09-01/..", ""),
    ("", "friends of Trotsky and Natalia since 1913", "since 1913", "1913-01-01/..", ""),
    ("", "until 1940 nothing changed", "until 1940", "../1940-12-31", ""),
    ("", "The report must be ready not later than April 16, 1929.", "not later than April 16, 1929", "../1929-04-16", ""),
    ("", "Before 1917 he was an émigré.", "Before 1917", "../1916-12-31", ""),
    ("", "After 1945 the empire fell apart.", "After 1945", "1946-01-01/..", ""),
    ("", "by 1925 the bloc had formed", "by 1925", "../1925-12-31", ""),
    // Printed without a year: the year from the document's date.
    ("1929-03-29", "The report of the conversation was published on January 20.", "January 20", "1929-01-20", "document-date"),
    ("1929-03-29", "Joint sessions were held on January 30 and February 9.", "January 30", "1929-01-30", "document-date"),
    ("1929-03-29", "Joint sessions were held on January 30 and February 9.", "February 9", "1929-02-09", "document-date"),
    ("1929-03-29", "During December and January, Kamenev met Bukharin quite often.", "December and January", "1928-12/1929-01", "document-date"),
    ("1929-03-29", "At the end of December, Zinoviev and Kamenev defined the situation.", "At the end of December", "1928-12-22/1928-12-31", "document-date"),
    ("1929-03-29", "The plenum of the Central Committee has been postponed to April 16.", "April 16", "1929-04-16", "document-date"),
    ("1929-03-29", "The plenum has been postponed to April 16, the conference to April 23.", "April 23", "1929-04-23", "document-date"),
    ("1929-03-29", "The plenum met in November and decided nothing.", "November", "1928-11", "document-date"),
    ("1929-03-29", "The session will open in May.", "May", "1929-05", "document-date"),
    ("1940-10", "Since the May 24 machine-gun attack the guard was doubled.", "May 24", "1940-05-24", "document-date"),
    ("1940-10", "On August 17 Jacson showed Trotsky a draft of an article.", "August 17", "1940-08-17", "document-date"),
    ("1940-10", "On May 28, the Rosmers were leaving Mexico.", "May 28", "1940-05-28", "document-date"),
    ("1940-10", "returning in the last part of July", "the last part of July", "1940-07-22/1940-07-31", "document-date"),
    ("1940-10", "he withdrew the balance early in June", "early in June", "1940-06-01/1940-06-10", "document-date"),
    ("1925-05", "Comrade Trotsky writes this in September in his book.", "September", "1924-09", "document-date"),
    ("1925-05", "The Cuno government resigned on 12th August.", "12th August", "1924-08-12", "document-date"),
    ("1941", "On June 26th the war was five days old.", "June 26th", "1941-06-26", "document-date"),
    ("1929-03-29", "It happened on the 9th of February.", "the 9th of February", "1929-02-09", "document-date"),
    // Without a year: the year from a date printed nearby.
    ("1940-10", "On May 12, 1939, the Spanish government issued the passport. He applied at the Consulate on June 12 for a visa.", "June 12", "1939-06-12", "context"),
    ("1925-05", "Both in September, 1923 and in January, 1924, I was in Moscow. In October the retreat was made.", "October", "1923-10", "context"),
    ("1938", "August 20, 1940¶On August 21 he entered the final crisis.", "August 21", "1940-08-21", "context"),
    // Relative to the year of writing.
    ("1925-05", "in January of this year Comrade Trotsky was of this opinion", "January of this year", "1925-01", "counted"),
    ("1925-05", "the insurrection in October last year, as proposed", "October last year", "1924-10", "counted"),
    ("1940-10", "he cashed heavy checks in May of this year", "May of this year", "1940-05", "counted"),
    ("1909", "The prisoners were freed this year.", "this year", "1909", "counted"),
    ("1909", "The law was passed last year.", "last year", "1908", "counted"),
    ("1909", "The congress will meet next year.", "next year", "1910", "counted"),
    ("1938-05-31", "some seven or eight years ago we considered this", "eight years ago", "1930", "counted"),
    ("1938-05-31", "not so abstract as ten years ago", "ten years ago", "1928", "counted"),
    ("1940-10", "Leon Sedov was killed only two years ago.", "two years ago", "1938", "counted"),
    ("1929-03-29", "Eight months from now I will publish a book on Lenin.", "Eight months from now", "1929-11", "counted"),
    ("1941-05-17", "The Soviet press today says nothing.", "today", "1941-05-17", "counted"),
    ("1941-05-17", "He arrived yesterday.", "yesterday", "1941-05-16", "counted"),
    ("1941-05-17", "The paper appears tomorrow.", "tomorrow", "1941-05-18", "counted"),
    ("1946-07", "The strikers today hold the plants.", "today", "1946-07", "counted"),
    ("1929-03-29", "In recent days Zinoviev has appeared at party meetings.", "In recent days", "../1929-03-28", "counted"),
    // Relative to the narrative.
    ("1929-03-29", "At the end of December, they spoke.¶Three days later Kamenev approached Voroshilov.", "Three days later", "1928-12-25/1929-01-03~", "counted"),
    ("1929-03-29", "At the end of December, they spoke.¶Three days later Kamenev came.¶Two days later Kalinin came to see Zinoviev.", "Two days later", "1928-12-27/1929-01-05~", "counted"),
    ("", "On August 20, 1940, Jacson came.¶The next day the Rosmers left.", "The next day", "1940-08-21", "counted"),
    ("", "On August 20, 1940, Jacson came.¶Sylvia was leaving the following day.", "the following day", "1940-08-21", "counted"),
    ("", "On March 3, 1918, the treaty was signed. The day before the delegates argued.", "The day before", "1918-03-02", "counted"),
    ("", "On March 3, 1918, the treaty was signed. A week later the army moved.", "A week later", "1918-03-10", "counted"),
    ("", "On March 3, 1918, the treaty was signed. Two weeks later the army moved.", "Two weeks later", "1918-03-17", "counted"),
    ("", "In January, 1924, the opposition was defeated. Three months later he wrote again.", "Three months later", "1924-04", "counted"),
    ("", "In 1931 Hitler was not yet in power. Two years later he was.", "Two years later", "1933", "counted"),
    ("", "In 1931 the crisis deepened. The following year it spread.", "The following year", "1932", "counted"),
    ("", "In 1931 the crisis deepened. The previous year it began.", "The previous year", "1930", "counted"),
    ("", "On March 3, 1918, the treaty was signed. A few days later the army moved.", "A few days later", "1918-03-04/..", "counted"),
    ("", "On March 3, 1918, the treaty was signed. Several months before, the talks had begun.", "Several months before", "../1918-03-02", "counted"),
    ("", "In 1919 the war went on.¶In the spring the offensive began.", "the spring", "1919-03/1919-05", "counted"),
    // Relative to an event.
    ("1940-10", "The gun was bought after the May 24 assault.", "after the May 24 assault", "1940-05-25/..", "counted"),
    ("1940-10", "He did not come before the May 24 assault.", "before the May 24 assault", "../1940-05-23", "counted"),
];

#[test]
fn the_table_has_its_hundred_expressions() {
    assert!(TABLE.len() >= 100, "{} expressions", TABLE.len());
}

#[test]
fn every_expression_gets_its_value() {
    let mut failures = Vec::new();
    for &(written, text, expr, value, rule) in TABLE {
        let paragraphs: Vec<&str> = text.split('¶').collect();
        let doc = document(written, &paragraphs);
        let ex = kulisy_extract::extract(&doc);
        let Some(m) = ex.dates.iter().find(|d| d.span.text(&doc.text) == expr) else {
            let found: Vec<&str> = ex.dates.iter().map(|d| d.span.text(&doc.text)).collect();
            failures.push(format!("{expr:?} not found in {text:?}; found {found:?}"));
            continue;
        };
        let got = m.date.normalised();
        let got_rule = m.date.inferred.map_or("", |i| i.rule.as_str());
        if got != value || got_rule != rule {
            failures.push(format!("{expr:?} in {text:?}: {got} ({got_rule}), expected {value} ({rule})"));
        }
    }
    assert!(failures.is_empty(), "{} of {}:\n{}", failures.len(), TABLE.len(), failures.join("\n"));
}

#[test]
fn words_that_are_not_dates_are_left_alone() {
    for text in [
        "You may come in and march with us.",
        "This drama of the German October was played for him.",
        "the October Revolution and the Lessons of October",
        "The Sunday Times printed it.",
        "Vol. 2 No. 11, pp. 1150",
        "There were 1500 delegates at the congress.",
        "A Good Friday service was held.",
        "It was a great day for the party.",
    ] {
        let doc = document("1929-03-29", &[text]);
        let ex = kulisy_extract::extract(&doc);
        let found: Vec<&str> = ex.dates.iter().map(|d| d.span.text(&doc.text)).collect();
        assert!(found.is_empty(), "in {text:?}: {found:?}");
    }
}

#[test]
fn a_date_modifying_a_noun_does_not_move_the_narrative() {
    let doc = document("1929-03-29", &["At the end of December, they met. This was worse than the April 1925 theses. Three days later they parted."]);
    let ex = kulisy_extract::extract(&doc);
    let theses = ex.dates.iter().find(|d| d.span.text(&doc.text) == "April 1925").unwrap_or_else(|| panic!("no date"));
    assert!(theses.attributive);
    let later = ex.dates.iter().find(|d| d.span.text(&doc.text) == "Three days later").unwrap_or_else(|| panic!("no date"));
    assert_eq!(later.date.normalised(), "1928-12-25/1929-01-03~");
}

#[test]
fn quoted_speech_keeps_its_own_time() {
    // The speaker's `Friday` is not counted from the narrator's dates, and
    // the narrator's `three days later` not from the speaker's.
    let doc = document("", &["On March 3, 1918, he said, “In 1905 we lost everything.” Three days later he left."]);
    let ex = kulisy_extract::extract(&doc);
    let quoted = ex.dates.iter().find(|d| d.span.text(&doc.text) == "1905").unwrap_or_else(|| panic!("no date"));
    assert!(quoted.quoted);
    let later = ex.dates.iter().find(|d| d.span.text(&doc.text) == "Three days later").unwrap_or_else(|| panic!("no date"));
    assert_eq!(later.date.normalised(), "1918-03-06");
}
