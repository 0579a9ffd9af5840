//! The reference report, read and segmented: what a careful reader sees.

mod common;

use common::{read, reference};
use kulisy_model::{BlockKind, LayerKind, LicenceKind, QuoteKind};

#[test]
fn header_is_structured_metadata() {
    let (doc, _) = read(&reference());
    let m = &doc.metadata;
    assert_eq!(m.title.as_ref().map(|t| t.text.as_str()), Some("Behind the Scenes in the Russian Party"));
    assert_eq!(m.authors.iter().map(|a| a.text.as_str()).collect::<Vec<_>>(), vec!["Leon Trotsky"]);
    assert_eq!(m.written.as_ref().map(|d| d.start.to_string()).as_deref(), Some("1929-03-29"));
    let p = m.first_published.as_ref().unwrap_or_else(|| panic!("no first publication"));
    assert_eq!(p.venue.as_deref(), Some("The Militant"));
    assert_eq!(p.place.as_deref(), Some("New York"));
    assert_eq!(p.volume.as_deref(), Some("2"));
    assert_eq!(p.issue.as_deref(), Some("11"));
    assert_eq!(p.date.as_ref().map(|d| d.start.to_string()).as_deref(), Some("1929-07-01"));
    assert_eq!(m.transcribers, vec!["D. Walters"]);
    assert_eq!(m.licence.as_ref().map(|l| l.kind), Some(LicenceKind::PublicDomain));
    assert!(m.licence.as_ref().is_some_and(|l| l.text.contains("Creative Commons")));
    assert_eq!(m.last_updated.as_ref().map(|d| d.start.to_string()).as_deref(), Some("2021-05-28"));
    // Every value's span points at its words in the text.
    let written = m.written.as_ref().and_then(|d| d.span).map(|s| s.text(&doc.text));
    assert_eq!(written, Some("March 29, 1929"));
}

#[test]
fn editorial_note_and_residue_are_out_of_the_body() {
    let (doc, _) = read(&reference());
    let kind_of = |needle: &str| doc.blocks.iter().find(|b| b.span.text(&doc.text).contains(needle)).map(|b| b.kind);
    assert_eq!(kind_of("The actual Militant article is signed"), Some(BlockKind::EditorialNote));
    assert_eq!(kind_of("return return"), Some(BlockKind::Residue));
    assert_eq!(kind_of("Last updated on"), Some(BlockKind::Residue));
    assert_eq!(kind_of("Written: March"), Some(BlockKind::Header));
    assert_eq!(kind_of("We are sending you"), Some(BlockKind::Paragraph));
    let body: String = doc.blocks.iter().filter(|b| b.kind == BlockKind::Paragraph).map(|b| b.span.text(&doc.text)).collect();
    assert!(!body.contains("return return"));
    assert!(!body.contains("Last updated"));
    // Nothing is thrown away: the residue maps back to its original bytes.
    let residue = doc.blocks.iter().find(|b| b.kind == BlockKind::Residue).map(|b| b.span).unwrap_or_default();
    let orig = doc.offsets.to_original_span(residue);
    assert_eq!(&doc.original[orig.start..orig.end], b"return return return return return");
}

#[test]
fn every_quotation_is_found_with_span_kind_nesting_and_interpolations() {
    let (doc, ex) = read(&reference());
    let t = &doc.text;
    let q = &ex.segmentation.quotations;
    assert_eq!(q.len(), 44);
    let speech = q.iter().filter(|q| q.kind == QuoteKind::Speech).count();
    assert_eq!(speech, 34); // ten terms: G.G., Moscow., a title, trio., obeyed, bad, main enemy, Trotskyite trick., fraternal parties, raked over the coals
    let find = |start: &str| q.iter().position(|x| x.span.text(t).starts_with(start)).unwrap_or_else(|| panic!("no quotation {start}"));

    let stalin = find("‘To extend their rights");
    let outer = find("“Stalin said:");
    assert_eq!(q[stalin].parent, Some(outer));
    assert_eq!(q[stalin].depth, 1);
    assert_eq!(q[stalin].kind, QuoteKind::Speech);
    assert_eq!(q[outer].span.text(t), "“Stalin said: ‘To extend their rights means to make a bloc. To make a bloc means to share half. I cannot share half. What will the Rights say?’”");

    for term in ["“trio.”", "“G.G.”", "“main enemy”", "“raked over the coals”", "‘obeyed,’", "‘bad’", "’fraternal parties’"] {
        assert_eq!(q[find(term)].kind, QuoteKind::Term, "{term}");
    }
    for speech in ["“Of course I did.", "“Perhaps, but haven’t you", "“there is no chief”", "“He [Stalin] babbles", "“Where did you copy that?"] {
        assert_eq!(q[find(speech)].kind, QuoteKind::Speech, "{speech}");
    }

    // Interpolations are the reporter's words inside the speaker's.
    let kalinin = find("“He [Stalin] babbles");
    let layers: Vec<_> = q[kalinin].layers.iter().map(|&l| ex.segmentation.layers[l]).collect();
    assert_eq!(layers.len(), 1);
    assert_eq!(layers[0].kind, LayerKind::Interpolation);
    assert_eq!(layers[0].span.text(t), "[Stalin]");
    let pyatakov = find("“Stalin is the only man");
    let interp: Vec<&str> = q[pyatakov].layers.iter().map(|&l| ex.segmentation.layers[l]).filter(|l| l.kind == LayerKind::Interpolation).map(|l| l.content.text(t)).collect();
    assert_eq!(interp.len(), 1);
    assert!(interp[0].starts_with("Pearls, real pearls!"));
    // The terms inside the interpolation are nested in the speech but are not the speaker's.
    assert_eq!(q[find("‘obeyed,’")].parent, Some(pyatakov));

    // The long speech without a speech verb is one quotation from mark to mark.
    let long = find("“The situation of our forces");
    assert!(q[long].span.text(t).ends_with("I had to make the report.”"));
    assert!(ex.segmentation.diagnostics.is_empty(), "{:?}", ex.segmentation.diagnostics);
}

#[test]
fn every_parenthesis_and_bracket_is_a_layer_with_its_kind() {
    let (doc, ex) = read(&reference());
    let t = &doc.text;
    let kind = |text: &str| {
        ex.segmentation.layers.iter().find(|l| l.span.text(t) == text).map(|l| l.kind).unwrap_or_else(|| panic!("no layer {text}"))
    };
    assert_eq!(kind("(Poor Bukharin!)"), LayerKind::Aside);
    assert_eq!(kind("(An argument remarkable for its cynicism.)"), LayerKind::Aside);
    assert_eq!(kind("(hm! hm!)"), LayerKind::Aside);
    assert_eq!(kind("(the Opposition’s)"), LayerKind::Gloss);
    assert_eq!(kind("(where Zinoviev is working)"), LayerKind::Gloss);
    assert_eq!(kind("(the conversation between Kamenev and Bukharin)"), LayerKind::Gloss);
    assert_eq!(kind("(Rykov, Bukharin, Stalin, Molotov, Ordzhonikidze)"), LayerKind::Parenthesis);
    assert_eq!(kind("[Sixteenth Party Conference]"), LayerKind::EditorialNote);
    assert_eq!(kind("[the Stalin group]"), LayerKind::Interpolation);
    assert_eq!(kind("[Bukharin and Tomsky]"), LayerKind::Interpolation);
    // Every parenthesis in the text is a layer.
    let parens = t.matches('(').count();
    let paren_layers = ex.segmentation.layers.iter().filter(|l| l.span.text(t).starts_with('(')).count();
    assert_eq!(parens, paren_layers);
    let brackets = t.matches('[').count();
    let bracket_layers = ex.segmentation.layers.iter().filter(|l| l.span.text(t).starts_with('[')).count();
    assert_eq!(brackets, bracket_layers);
}

#[test]
fn snapshot() {
    let (doc, ex) = read(&reference());
    insta::assert_snapshot!("behind-the-scenes-1929", kulisy_exchange::text::render(&doc, &ex));
}

/// Who says each speech quotation of the reference report, as a careful
/// reader gives it: (start of the quotation, speaker, one addressee, or
/// none when the words are said to no one the text names).
const SPEAKERS: &[(&str, &str, Option<&str>)] = &[
    ("“We learn what is happening", "everyone", None),
    ("“Yes, the party has been blindfolded!", "everyone", None),
    ("“The situation of our forces", "Bukharin", Some("Kamenev")),
    ("“Then it is you who wrote", "Kamenev", Some("Bukharin")),
    ("“Of course I did.", "Bukharin", Some("Kamenev")),
    ("“What are you planning", "Kamenev", Some("Bukharin")),
    ("“I will supplement it", "Bukharin", Some("Kamenev")),
    ("“But wouldn’t that be a platform?", "Kamenev", Some("Bukharin")),
    ("“Perhaps, but haven’t you", "Bukharin", Some("Kamenev")),
    ("“I would urgently advise you", "Pyatakov", Some("Bukharin")),
    ("“Of course this is true", "Bukharin", Some("Pyatakov")),
    ("“Stalin is the only man", "Pyatakov", Some("Kamenev")),
    ("“Then what do you propose", "Kamenev", Some("Pyatakov")),
    ("“Well, I have been entrusted", "Pyatakov", Some("Kamenev")),
    ("“As for me, I shall not worry", "Kamenev", Some("Pyatakov")),
    ("“We must get to the helm.", "Zinoviev and Kamenev", None),
    ("“It is still too soon", "Ordzhonikidze", Some("Kamenev")),
    ("“We are up to our necks", "Kalinin", Some("Zinoviev")),
    ("“He [Stalin] babbles", "Kalinin", Some("Zinoviev")),
    ("“there is no chief”", "Zinoviev", Some("Bakayev")),
    ("“What do you intend to do with him?", "Zinoviev", Some("Krupskaya")),
    ("“Firstly you must not say you", "Krupskaya", Some("Zinoviev")),
    ("“Though he cries", "Krupskaya", Some("Zinoviev")),
    ("“No extension of their rights", "Voroshilov", None),
    ("“Stalin said:", "Ordzhonikidze", Some("Kamenev")),
    ("‘To extend their rights", "Stalin", None),
    ("“Did he say that in the Politburo?", "Kamenev", Some("Ordzhonikidze")),
    ("“No, that was before the session.", "Ordzhonikidze", Some("Kamenev")),
    ("“The kulak is growing stronger", "Zinoviev", None),
    ("“It is impossible to come", "Kamenev", None),
    ("“We must not be forgotten", "Zinoviev", None),
];

fn check_speakers(ex: &kulisy_extract::Extraction, doc: &kulisy_model::Document, name_of: impl Fn(&str) -> String) {
    let t = &doc.text;
    let entity = |e: Option<usize>| e.and_then(|e| ex.cast.entities.get(e)).map(|e| e.name.clone());
    for (start, speaker, to) in SPEAKERS {
        let qi = ex.segmentation.quotations.iter().position(|q| q.span.text(t).starts_with(start)).unwrap_or_else(|| panic!("no quotation {start}"));
        let a = &ex.attributions[qi];
        assert_eq!(entity(a.speaker), Some(name_of(speaker)), "speaker of {start} (sieve {})", a.sieve);
        let names: Vec<String> = a.addressees.iter().filter_map(|&e| entity(Some(e))).collect();
        match to {
            Some(to) => assert!(names.contains(&name_of(to)), "{start}: addressees {names:?}, expected {to}"),
            None => assert!(names.is_empty(), "{start}: addressees {names:?}, expected none"),
        }
        assert!(!a.sieve.is_empty(), "{start}: no sieve recorded");
    }
    // Reported speech keeps its reporter.
    let reported = |start: &str| {
        let qi = ex.segmentation.quotations.iter().position(|q| q.span.text(t).starts_with(start)).unwrap_or(0);
        entity(ex.attributions[qi].reported_by)
    };
    assert_eq!(reported("“No extension of their rights"), Some(name_of("Ordzhonikidze")));
    assert_eq!(reported("‘To extend their rights"), Some(name_of("Ordzhonikidze")));
    // Written words are marked written.
    let thesis = ex.segmentation.quotations.iter().position(|q| q.span.text(t).starts_with("“The kulak is growing")).unwrap_or(0);
    assert!(ex.attributions[thesis].written);
    // The cries at the joint session come from unnamed voices.
    let cries = ex.segmentation.quotations.iter().position(|q| q.span.text(t).starts_with("“Where did you copy that?")).unwrap_or(0);
    assert_eq!((ex.attributions[cries].speaker, ex.attributions[cries].sieve), (None, "collective-voices"));
}

#[test]
fn every_speech_quotation_has_its_speaker_without_a_gazetteer() {
    let (doc, ex) = read(&reference());
    check_speakers(&ex, &doc, |n| match n {
        // Found in the text: the group the Right is called by its plural.
        "the Right" => "the Rights".to_string(),
        other => other.to_string(),
    });
    let t = &doc.text;
    let conditions = ex.segmentation.quotations.iter().position(|q| q.span.text(t).starts_with("“conditions for work")).unwrap_or(0);
    let speaker = ex.attributions[conditions].speaker.map(|e| ex.cast.entities[e].name.as_str());
    assert_eq!(speaker, Some("the Rights"));
    // Groups have the members the text gives them.
    let members = |name: &str| {
        let g = ex.cast.entities.iter().find(|e| e.name == name).unwrap_or_else(|| panic!("no group {name}"));
        let mut m: Vec<&str> = g.members.iter().map(|&i| ex.cast.entities[i].name.as_str()).collect();
        m.sort();
        m
    };
    assert_eq!(members("the trio"), vec!["Bukharin", "Rykov", "Tomsky"]);
    assert_eq!(members("the Rights"), vec!["Bukharin", "Rykov", "Tomsky"]);
    assert_eq!(members("Zinoviev and Kamenev"), vec!["Kamenev", "Zinoviev"]);
}

#[test]
fn every_speech_quotation_has_its_speaker_with_the_example_gazetteer() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/gazetteer-soviet-leadership-1917-1940.toml");
    let known = kulisy_exchange::gazetteer::parse(&std::fs::read_to_string(&path).unwrap_or_default()).unwrap_or_else(|e| panic!("{e}"));
    let (doc, _) = read(&reference());
    let ex = kulisy_extract::extract_with(&doc, &kulisy_extract::Options { known });
    let full = |n: &str| -> String {
        match n {
            "Bukharin" => "Nikolai Bukharin",
            "Kamenev" => "Lev Kamenev",
            "Zinoviev" => "Grigory Zinoviev",
            "Pyatakov" => "Georgy Pyatakov",
            "Ordzhonikidze" => "Sergo Ordzhonikidze",
            "Kalinin" => "Mikhail Kalinin",
            "Krupskaya" => "Nadezhda Krupskaya",
            "Voroshilov" => "Kliment Voroshilov",
            "Bakayev" => "Ivan Bakayev",
            "Stalin" => "Joseph Stalin",
            other => other,
        }
        .to_string()
    };
    check_speakers(&ex, &doc, full);
    // `L.D.` is Trotsky, as the gazetteer says.
    let ld = doc.text.find("L.D.").unwrap_or(0);
    let m = ex.cast.mentions.iter().find(|m| m.span.start == ld).unwrap_or_else(|| panic!("L.D. is not a mention"));
    assert_eq!(m.entity.map(|e| ex.cast.entities[e].name.as_str()), Some("Leon Trotsky"));
    assert_eq!(ex.cast.entities.iter().find(|e| e.name == "Leon Trotsky").and_then(|e| e.external_id.as_deref()), Some("Q33391"));
}

#[test]
fn every_attribution_names_its_sieve() {
    let (_, ex) = read(&reference());
    let known: Vec<&str> = kulisy_extract::attribute::SIEVES.iter().map(|(n, _)| *n).collect();
    for (q, a) in ex.segmentation.quotations.iter().zip(&ex.attributions) {
        if q.kind == kulisy_model::QuoteKind::Term {
            assert!(a.speaker.is_none() && a.sieve.is_empty());
        } else if a.speaker.is_some() {
            assert!(known.contains(&a.sieve), "unknown sieve {:?}", a.sieve);
            assert!(a.confidence > 0.0 && a.confidence <= 1.0);
        }
    }
}

/// One line of the reference report's timeline, as a careful reader draws it.
struct Expected {
    kind: &'static str,
    /// The clause starts with these words.
    clause: &'static str,
    /// The normalised date it is placed at.
    value: &'static str,
    /// How the date was worked out (`document-date`, `counted`), or `` when printed.
    rule: &'static str,
    /// (entity, role) pairs that must be among its participants.
    who: &'static [(&'static str, &'static str)],
    /// Whose home it happened in, if anyone's.
    home_of: Option<&'static str>,
}

const TIMELINE: &[Expected] = &[
    Expected { kind: "encounter", clause: "During December and January", value: "1928-12/1929-01", rule: "document-date", who: &[("Kamenev", "agent"), ("Bukharin", "participant"), ("Pyatakov", "host")], home_of: Some("Pyatakov") },
    Expected { kind: "encounter", clause: "One of them", value: "1928-12-22/1928-12-31", rule: "document-date", who: &[("Kamenev", "agent"), ("Ordzhonikidze", "participant")], home_of: None },
    Expected { kind: "encounter", clause: "Three days later", value: "1928-12-25/1929-01-03~", rule: "counted", who: &[("Kamenev", "agent"), ("Voroshilov", "participant")], home_of: None },
    Expected { kind: "encounter", clause: "Two days later", value: "1928-12-27/1929-01-05~", rule: "counted", who: &[("Kalinin", "agent"), ("Zinoviev", "participant")], home_of: None },
    Expected { kind: "encounter", clause: "The next day", value: "1928-12-28/1929-01-06~", rule: "counted", who: &[("Zinoviev", "agent"), ("Krupskaya", "participant")], home_of: None },
    Expected { kind: "encounter", clause: "whereupon Ordzhonikidze invited", value: "", rule: "", who: &[("Ordzhonikidze", "agent"), ("Kamenev", "participant"), ("Zinoviev", "participant")], home_of: Some("Ordzhonikidze") },
    Expected { kind: "publication", clause: "The report of the conversation", value: "1929-01-20", rule: "document-date", who: &[], home_of: None },
    Expected { kind: "encounter", clause: "After we had published", value: "1929-01-21/..", rule: "counted", who: &[("Kamenev", "agent"), ("Ordzhonikidze", "host")], home_of: Some("Ordzhonikidze") },
    Expected { kind: "confirmation", clause: "Bukharin was also called", value: "1929-01-21/..", rule: "counted", who: &[("Bukharin", "agent")], home_of: None },
    Expected { kind: "session", clause: "Joint sessions", value: "1929-01-30", rule: "document-date", who: &[("Politburo", "body"), ("Central Control Commission", "body")], home_of: None },
    Expected { kind: "session", clause: "Joint sessions", value: "1929-02-09", rule: "document-date", who: &[("Politburo", "body"), ("Central Control Commission", "body")], home_of: None },
    Expected { kind: "declaration", clause: "At the joint session", value: "1929-02-09", rule: "document-date", who: &[("Rykov", "agent")], home_of: None },
];

#[test]
fn the_timeline_is_the_one_a_careful_reader_draws() {
    let (doc, ex) = read(&reference());
    let t = doc.text.as_str();
    let name = |e: usize| ex.cast.entities[e].name.as_str();
    let mut last = 0;
    for x in TIMELINE {
        let at = ex.timeline.iter().position(|entry| {
            let e = &ex.events[entry.event];
            let value = entry.date.map(|d| ex.dates[d].date.normalised()).unwrap_or_default();
            e.kind.as_str() == x.kind && e.span.text(t).starts_with(x.clause) && value == x.value
        });
        let Some(at) = at else { panic!("no {} “{}” at {:?} in the timeline:\n{}", x.kind, x.clause, x.value, kulisy_exchange::text::timeline(&doc, &ex)) };
        assert!(at >= last, "{} “{}” out of order", x.kind, x.clause);
        last = at;
        let entry = &ex.timeline[at];
        let e = &ex.events[entry.event];
        let rule = entry.date.and_then(|d| ex.dates[d].date.inferred).map_or("", |i| i.rule.as_str());
        assert_eq!(rule, x.rule, "{} “{}”", x.kind, x.clause);
        for (who, role) in x.who {
            assert!(
                e.participants.iter().any(|p| name(p.entity) == *who && p.role.as_str() == *role),
                "{} “{}”: no {who} as {role} in {:?}",
                x.kind,
                x.clause,
                e.participants.iter().map(|p| (name(p.entity), p.role.as_str())).collect::<Vec<_>>()
            );
        }
        assert_eq!(e.place.as_ref().and_then(|p| p.home_of).map(name), x.home_of, "{} “{}”", x.kind, x.clause);
    }
}

#[test]
fn the_postponements_carry_their_new_dates() {
    let (doc, ex) = read(&reference());
    let t = doc.text.as_str();
    let moved: Vec<(String, String, Vec<&str>)> = ex
        .events
        .iter()
        .filter(|e| e.kind == kulisy_model::EventKind::Postponement)
        .map(|e| {
            let to = e.new_date.map(|d| &ex.dates[d]).unwrap_or_else(|| panic!("no new date"));
            assert!(to.date.inferred.is_some(), "the year of {} is inferred", to.span.text(t));
            let bodies = e.participants.iter().map(|p| ex.cast.entities[p.entity].name.as_str()).collect();
            (e.trigger.text(t).to_string(), to.date.normalised(), bodies)
        })
        .collect();
    assert_eq!(
        moved,
        vec![
            ("postponed".to_string(), "1929-04-16".to_string(), vec!["Central Committee"]),
            // The editor's note names the conference.
            ("conference".to_string(), "1929-04-23".to_string(), vec!["Sixteenth Party Conference"]),
        ]
    );
}

#[test]
fn the_document_date_anchors_the_years_and_quoted_dates_stay_the_speakers() {
    let (doc, ex) = read(&reference());
    let t = doc.text.as_str();
    // `Friday` and `Thursday` are Bukharin's, inside his words.
    for d in ex.dates.iter().filter(|d| matches!(d.span.text(t), "Friday" | "Thursday" | "Eight months from now")) {
        assert!(d.quoted, "{}", d.span.text(t));
    }
    // `the April 1925 theses` names a document, it does not move the story to 1925.
    let theses = ex.dates.iter().find(|d| d.span.text(t) == "April 1925").unwrap_or_else(|| panic!("no April 1925"));
    assert!(theses.attributive);
    // Every year the text does not print is marked inferred from the date it was written.
    for d in ex.dates.iter().filter(|d| d.date.yearless.is_some() && !d.quoted) {
        let i = d.date.inferred.unwrap_or_else(|| panic!("{} not inferred", d.span.text(t)));
        assert_eq!(i.anchor.to_string(), "1929-03-29", "{}", d.span.text(t));
    }
}
