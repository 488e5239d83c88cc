//! The caption block of an exported picture (`truce-atlas export png`): what it shows and who
//! says so, from [`crate::present::caption`], under the map so that it travels with the image.

use egui::{RichText, Ui};

use crate::session::Session;
use crate::ui::theme;

pub fn show(ui: &mut Ui, session: &Session) {
    let tk = theme::tokens(ui.ctx());
    let c = crate::present::caption(
        session.engine(),
        session.data_dir(),
        session.instant(),
        session.selected(),
        session.known_on(),
        session.kinds(),
    );
    ui.add_space(4.0);
    ui.label(RichText::new(&c.title).strong().size(tk.text.instant));
    ui.label(RichText::new(&c.instant).strong());
    if let Some(zone) = &c.zone {
        ui.label(zone);
    }
    if let Some(quote) = &c.quote {
        ui.label(RichText::new(quote).italics().size(tk.text.quote));
    }
    if let Some(line) = super::incidents::caption_line(session) {
        ui.label(RichText::new(line).small());
    }
    let reopen = super::incidents::reopen_words(session);
    ui.label(
        RichText::new(format!("{}{reopen}", c.small_print))
            .small()
            .weak(),
    );
    ui.add_space(4.0);
}
