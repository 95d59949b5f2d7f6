//! Templates a new board can start from: the ones shipped with Stellwand
//! (`stellwand_board::template::builtin`) and the user's own, kept as JSON in
//! the [`Settings`] under `template.<id>`.

use serde::Serialize;
use stellwand_board::Template;

use crate::catalogue::clean_name;
use crate::error::{Error, Result};
use crate::storage::Settings;

/// Settings key prefix of the user's own templates.
const PREFIX: &str = "template.";

/// A template as a list shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct TemplateInfo {
    pub id: String,
    pub name: String,
    pub description: String,
    /// Shipped with Stellwand (cannot be deleted).
    pub builtin: bool,
    pub items: usize,
}

impl TemplateInfo {
    fn of(template: &Template, builtin: bool) -> Self {
        TemplateInfo {
            id: template.id.clone(),
            name: template.name.clone(),
            description: template.description.clone(),
            builtin,
            items: template.items.len(),
        }
    }
}

/// The user's own templates, oldest first; one that cannot be read is
/// left out.
fn own_templates<S: Settings + ?Sized>(settings: &S) -> Result<Vec<Template>> {
    Ok(settings
        .settings_with_prefix(PREFIX)?
        .into_iter()
        .filter_map(|(key, json)| Template::parse(&key, &json).ok())
        .collect())
}

/// The templates a new board can start from, kept in any [`Settings`]
/// store.
pub trait Templates {
    /// The shipped templates, then the user's own (newest first).
    ///
    /// # Errors
    /// An engine error.
    fn templates(&self) -> Result<Vec<TemplateInfo>>;

    /// The template with this id.
    ///
    /// # Errors
    /// [`Error::InvalidData`] if there is none, an engine error.
    fn template(&self, id: &str) -> Result<Template>;

    /// Keeps the layout and texts of `items` (a board's) as a template of
    /// the user's named `name` ("Als Vorlage speichern").
    ///
    /// # Errors
    /// [`Error::EmptyName`], an engine error.
    fn save_items_as_template(
        &self,
        name: &str,
        items: &[stellwand_board::Item],
    ) -> Result<TemplateInfo>;

    /// Deletes one of the user's templates; returns whether it existed.
    ///
    /// # Errors
    /// An engine error.
    fn delete_template(&self, id: &str) -> Result<bool>;
}

impl<S: Settings + ?Sized> Templates for S {
    fn templates(&self) -> Result<Vec<TemplateInfo>> {
        let mut list: Vec<TemplateInfo> = stellwand_board::template::builtin()
            .iter()
            .map(|t| TemplateInfo::of(t, true))
            .collect();
        let own = own_templates(self)?;
        list.extend(own.iter().rev().map(|t| TemplateInfo::of(t, false)));
        Ok(list)
    }

    fn template(&self, id: &str) -> Result<Template> {
        stellwand_board::template::builtin()
            .into_iter()
            .chain(own_templates(self)?)
            .find(|t| t.id == id)
            .ok_or_else(|| Error::InvalidData(format!("there is no template {id:?}")))
    }

    fn save_items_as_template(
        &self,
        name: &str,
        items: &[stellwand_board::Item],
    ) -> Result<TemplateInfo> {
        let name = clean_name(name, "template name")?;
        let id = uuid::Uuid::new_v4().to_string();
        let template = Template::from_items(&id, &name, "", items);
        let json = serde_json::to_string(&template)
            .map_err(|e| Error::InvalidData(format!("the template cannot be written: {e}")))?;
        self.set_setting(&format!("{PREFIX}{}", template.id), &json)?;
        Ok(TemplateInfo::of(&template, false))
    }

    fn delete_template(&self, id: &str) -> Result<bool> {
        self.remove_setting(&format!("{PREFIX}{id}"))
    }
}
