//! Workbooks as their programs write them, and as nobody should: every one a clear message or
//! the documented reading, never a panic, a hang or unbounded memory.

use std::io::{Read, Write};

use rust_xlsxwriter::{ExcelDateTime, Format, Workbook as Book};

use super::*;

/// A workbook of the given sheets, each a list of rows of text cells, as bytes.
fn xlsx(sheets: &[(&str, &[&[&str]])], extra: impl FnOnce(&mut Book)) -> Vec<u8> {
    let mut book = Book::new();
    for (name, rows) in sheets {
        let sheet = book.add_worksheet();
        sheet.set_name(*name).expect("name");
        for (r, row) in rows.iter().enumerate() {
            for (c, text) in row.iter().enumerate() {
                if !text.is_empty() {
                    sheet.write_string(r as u32, c as u16, *text).expect("cell");
                }
            }
        }
    }
    extra(&mut book);
    book.save_to_buffer().expect("saved")
}

fn cells(book: &Workbook, sheet: &str) -> Vec<(u32, u32, Value)> {
    let s = book.sheets.iter().find(|s| s.name == sheet).expect("sheet");
    s.rows
        .iter()
        .flat_map(|r| r.cells.iter().map(move |c| (r.row, c.col, c.value.clone())))
        .collect()
}

#[test]
fn columns_are_named_as_the_spreadsheet_shows_them() {
    assert_eq!(column_letters(0), "A");
    assert_eq!(column_letters(25), "Z");
    assert_eq!(column_letters(26), "AA");
    assert_eq!(column_letters(16_383), "XFD");
}

#[test]
fn a_far_away_cell_costs_one_cell_not_a_rectangle() {
    let bytes = xlsx(&[("events", &[&["id"]])], |book| {
        if let Ok(sheet) = book.worksheet_from_name("events") {
            sheet.write_string(1_048_575, 16_383, "far").expect("cell");
        }
    });
    let book = read_workbook("far.xlsx", &bytes).expect("read");
    let got = cells(&book, "events");
    assert_eq!(got.len(), 2);
    assert_eq!(got[1].0, 1_048_575);
    let s = &book.sheets[0];
    assert_eq!(
        cell_place(&book, s, got[1].0, Some(got[1].1)).1,
        "events!XFD1048576"
    );
}

#[test]
fn styled_empty_rows_are_skipped_and_dates_read_as_wall_times() {
    let bytes = xlsx(&[("events", &[&["id", "time"]])], |book| {
        let sheet = book.worksheet_from_name("events").expect("sheet");
        let grey = Format::new().set_background_color("#EEEEEE");
        for r in 1..100_000 {
            sheet.write_blank(r, 0, &grey).expect("blank");
        }
        let date = Format::new().set_num_format("yyyy-mm-dd");
        let when = Format::new().set_num_format("yyyy-mm-dd hh:mm");
        let day = ExcelDateTime::from_ymd(2016, 5, 1).expect("date");
        sheet
            .write_datetime_with_format(100_000, 0, &day, &date)
            .expect("date");
        let at = ExcelDateTime::from_ymd(2016, 5, 1)
            .and_then(|d| d.and_hms(12, 0, 0))
            .expect("time");
        sheet
            .write_datetime_with_format(100_000, 1, &at, &when)
            .expect("time");
    });
    let book = read_workbook("dates.xlsx", &bytes).expect("read");
    let got = cells(&book, "events");
    assert_eq!(
        book.sheets[0].rows.len(),
        2,
        "the header and the one row with values"
    );
    let day = chrono::NaiveDate::from_ymd_opt(2016, 5, 1).expect("date");
    assert_eq!(got[2].2, Value::date(day));
    assert_eq!(
        got[3].2,
        Value::DateTime {
            wall: day.and_hms_opt(12, 0, 0).expect("t"),
            date_only: false
        }
    );
}

/// Rewrites one member of a zip archive with `edit`, keeping the others.
fn rezip(bytes: &[u8], edit: impl Fn(&str, Vec<u8>) -> Vec<u8>) -> Vec<u8> {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("zip");
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for i in 0..archive.len() {
        let mut f = archive.by_index(i).expect("member");
        let name = f.name().expect("name").to_string();
        let mut data = Vec::new();
        f.read_to_end(&mut data).expect("read");
        out.start_file(&name, zip::write::SimpleFileOptions::default())
            .expect("start");
        out.write_all(&edit(&name, data)).expect("write");
    }
    out.finish().expect("finish").into_inner()
}

#[test]
fn the_1904_date_system_is_read() {
    // A 1904 workbook stores 2016-05-01 as the days since 1904-01-01; the same number in a 1900
    // workbook would be 2012-04-30.
    let serial = (chrono::NaiveDate::from_ymd_opt(2016, 5, 1).expect("d")
        - chrono::NaiveDate::from_ymd_opt(1904, 1, 1).expect("d"))
    .num_days() as f64;
    let bytes = xlsx(&[("events", &[&["time"]])], |book| {
        let sheet = book.worksheet_from_name("events").expect("sheet");
        let date = Format::new().set_num_format("yyyy-mm-dd");
        sheet
            .write_number_with_format(1, 0, serial, &date)
            .expect("n");
    });
    let bytes = rezip(&bytes, |name, data| {
        if name == "xl/workbook.xml" {
            String::from_utf8_lossy(&data)
                .replace("<workbookPr ", "<workbookPr date1904=\"1\" ")
                .into_bytes()
        } else {
            data
        }
    });
    let book = read_workbook("1904.xlsx", &bytes).expect("read");
    let day = chrono::NaiveDate::from_ymd_opt(2016, 5, 1).expect("date");
    assert_eq!(cells(&book, "events")[1].2, Value::date(day));
}

#[test]
fn a_formula_without_a_saved_result_is_marked_and_one_with_a_result_gives_it() {
    let bytes = xlsx(&[("events", &[&["id", "note"]])], |book| {
        let sheet = book.worksheet_from_name("events").expect("sheet");
        sheet.write_formula(1, 0, "=\"a\"&\"b\"").expect("f");
        sheet.set_formula_result(1, 0, "ab");
        sheet.write_formula(2, 0, "=1+1").expect("f");
    });
    // The second formula's result is taken out, as a program that never calculated leaves it.
    let bytes = rezip(&bytes, |name, data| {
        if name.starts_with("xl/worksheets/") {
            String::from_utf8_lossy(&data)
                .replace("<f>1+1</f><v>0</v>", "<f>1+1</f>")
                .into_bytes()
        } else {
            data
        }
    });
    let book = read_workbook("formula.xlsx", &bytes).expect("read");
    let got = cells(&book, "events");
    assert_eq!(got[2].2, Value::Text("ab".into()));
    assert!(matches!(got[3].2, Value::FormulaWithoutValue(_)), "{got:?}");
}

#[test]
fn a_password_protected_or_corrupt_workbook_gets_a_clear_message() {
    let mut cfb = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    cfb.resize(4096, 0);
    let err = read_workbook("secret.xlsx", &cfb).expect_err("refused");
    assert!(err.contains("password-protected"), "{err}");
    let good = xlsx(&[("events", &[&["id"]])], |_| {});
    let err = read_workbook("cut.xlsx", &good[..good.len() / 2]).expect_err("refused");
    assert!(err.contains("damaged"), "{err}");
    let err = read_workbook("notes.xlsx", b"just some text").expect_err("refused");
    assert!(err.contains("not an .xlsx or .ods"), "{err}");
}

/// Finds every zip header of `sig` and sets the 4-byte little-endian field at `offset`.
fn patch_headers(bytes: &mut [u8], sig: u32, offset: usize, value: u32, name: &str) {
    let sig = sig.to_le_bytes();
    let mut i = 0;
    while i + 46 < bytes.len() {
        if bytes[i..i + 4] == sig {
            let (name_at, len_at) = if sig == 0x0201_4b50u32.to_le_bytes() {
                (46, 28)
            } else {
                (30, 26)
            };
            let len = u16::from_le_bytes([bytes[i + len_at], bytes[i + len_at + 1]]) as usize;
            if bytes.get(i + name_at..i + name_at + len) == Some(name.as_bytes()) {
                bytes[i + offset..i + offset + 4].copy_from_slice(&value.to_le_bytes());
            }
        }
        i += 1;
    }
}

#[test]
fn a_zip_bomb_is_refused_by_its_declared_size_or_as_it_inflates() {
    let good = xlsx(&[("events", &[&["id"], &["a"], &["b"]])], |_| {});
    // Declared far larger than the limit: refused before anything is inflated.
    let mut huge = good.clone();
    for name in ["xl/worksheets/sheet1.xml", "xl/styles.xml"] {
        patch_headers(&mut huge, 0x0201_4b50, 24, 0xFFFF_FFF0, name);
    }
    let err = read_workbook("huge.xlsx", &huge).expect_err("refused");
    assert!(err.contains("would inflate to"), "{err}");
    // Declared tiny but larger inside: refused as it streams, not read to the end.
    let mut lying = good;
    patch_headers(&mut lying, 0x0201_4b50, 24, 10, "xl/worksheets/sheet1.xml");
    patch_headers(&mut lying, 0x0403_4b50, 22, 10, "xl/worksheets/sheet1.xml");
    let err = read_workbook("lying.xlsx", &lying).expect_err("refused");
    assert!(err.contains("sheet `events`"), "{err}");
}

/// An .ods `content.xml` holding one table, in a zip.
fn ods(table: &str) -> Vec<u8> {
    let content = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body><office:spreadsheet>{table}</office:spreadsheet></office:body></office:document-content>"#
    );
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let stored =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    out.start_file("mimetype", stored).expect("start");
    out.write_all(b"application/vnd.oasis.opendocument.spreadsheet")
        .expect("w");
    out.start_file("content.xml", zip::write::SimpleFileOptions::default())
        .expect("start");
    out.write_all(content.as_bytes()).expect("w");
    out.finish().expect("finish").into_inner()
}

#[test]
fn an_ods_sheet_reads_types_repeats_merged_cells_and_text_runs() {
    let bytes = ods(concat!(
        r#"<table:table table:name="events"><table:table-row><table:table-cell office:value-type="string"><text:p>id</text:p></table:table-cell>"#,
        r#"<table:table-cell table:number-columns-repeated="2"/><table:table-cell office:value-type="string"><text:p>a<text:s text:c="2"/>b &amp; c</text:p><office:annotation><text:p>a comment</text:p></office:annotation></table:table-cell></table:table-row>"#,
        r#"<table:table-row table:number-rows-repeated="2"><table:table-cell office:value-type="date" office:date-value="2016-05-01T12:00:00"/><table:covered-table-cell/><table:table-cell office:value-type="boolean" office:boolean-value="true"/><table:table-cell office:value-type="float" office:value="48" table:formula="of:=24*2"><text:p>48</text:p></table:table-cell></table:table-row>"#,
        r#"<table:table-row table:number-rows-repeated="1048000"><table:table-cell table:number-columns-repeated="1024"/></table:table-row>"#,
        r#"<table:table-row><table:table-cell table:formula="of:=A1"/></table:table-row></table:table>"#
    ));
    let book = read_workbook("book.ods", &bytes).expect("read");
    let got = cells(&book, "events");
    let wall = chrono::NaiveDate::from_ymd_opt(2016, 5, 1)
        .and_then(|d| d.and_hms_opt(12, 0, 0))
        .expect("t");
    assert_eq!(got[0], (0, 0, Value::Text("id".into())));
    assert_eq!(
        got[1],
        (0, 3, Value::Text("a  b & c".into())),
        "spaces kept, the comment left out"
    );
    assert_eq!(
        got[2],
        (
            1,
            0,
            Value::DateTime {
                wall,
                date_only: false
            }
        )
    );
    assert_eq!(
        got[3],
        (1, 2, Value::Bool(true)),
        "a merged (covered) cell is empty"
    );
    assert_eq!(got[4], (1, 3, Value::Number(48.0)));
    assert_eq!(got[5].0, 2, "the row repeated twice");
    let last = got.last().expect("cells");
    assert_eq!(
        last.0, 1_048_003,
        "a million repeated empty rows are counted, not stored"
    );
    assert!(matches!(last.2, Value::FormulaWithoutValue(_)));
}

#[test]
fn an_ods_row_repeated_a_million_times_is_refused_before_it_is_copied() {
    let bytes = ods(
        r#"<table:table table:name="events"><table:table-row table:number-rows-repeated="1048576"><table:table-cell table:number-columns-repeated="16384" office:value-type="string"><text:p>x</text:p></table:table-cell></table:table-row></table:table>"#,
    );
    let err = read_workbook("bomb.ods", &bytes).expect_err("refused");
    assert!(
        err.contains("sheet `events`") && err.contains("the limit is"),
        "{err}"
    );
}

#[test]
fn a_big_sheet_read_in_two_halves_keeps_every_row_in_order() {
    let bytes = xlsx(&[("events", &[&["id", "quote"]])], |book| {
        let sheet = book.worksheet_from_name("events").expect("sheet");
        for r in 1..=120_000u32 {
            sheet.write_string(r, 0, format!("e{r}")).expect("cell");
            sheet.write_number(r, 1, f64::from(r)).expect("cell");
        }
    });
    let book = read_workbook("big.xlsx", &bytes).expect("read");
    let rows = &book.sheets[0].rows;
    assert_eq!(rows.len(), 120_001);
    assert!(
        rows.windows(2).all(|w| w[0].row + 1 == w[1].row),
        "no row lost or repeated"
    );
    let last = rows.last().expect("rows");
    assert_eq!(last.get(0), Some(&Value::Text("e120000".into())));
    assert_eq!(last.get(1), Some(&Value::Number(120_000.0)));
}
