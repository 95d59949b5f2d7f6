//! Templates a new board can start from: the ones shipped with Stellwand
//! (`stellwand_board::template::builtin`) and the user's own, kept as JSON in
//! the settings table under `template.<id>`.

use serde::Serialize;
use stellwand_board::Template;

use crate::error::{Error, Result};
use crate::Library;

/// Settings key prefix of the user's own templates.
const PREFIX: &str = "template.";

/// A template as a list shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
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

impl Library {
    /// The user's own templates, oldest first; one that cannot be read is
    /// left out.
    fn own_templates(&self) -> Result<Vec<Template>> {
        Ok(self
            .settings_with_prefix(PREFIX)?
            .into_iter()
            .filter_map(|(key, json)| Template::parse(&key, &json).ok())
            .collect())
    }

    /// The shipped templates, then the user's own (newest first).
    ///
    /// # Errors
    /// A database error.
    pub fn templates(&self) -> Result<Vec<TemplateInfo>> {
        let mut list: Vec<TemplateInfo> = stellwand_board::template::builtin()
            .iter()
            .map(|t| TemplateInfo::of(t, true))
            .collect();
        let own = self.own_templates()?;
        list.extend(own.iter().rev().map(|t| TemplateInfo::of(t, false)));
        Ok(list)
    }

    /// The template with this id.
    ///
    /// # Errors
    /// [`Error::InvalidData`] if there is none, a database error.
    pub fn template(&self, id: &str) -> Result<Template> {
        stellwand_board::template::builtin()
            .into_iter()
            .chain(self.own_templates()?)
            .find(|t| t.id == id)
            .ok_or_else(|| Error::InvalidData(format!("there is no template {id:?}")))
    }

    /// Keeps the layout and texts of `items` (a board's) as a template of
    /// the user's named `name` ("Als Vorlage speichern").
    ///
    /// # Errors
    /// [`Error::EmptyName`], a database error.
    pub fn save_items_as_template(
        &self,
        name: &str,
        items: &[stellwand_board::Item],
    ) -> Result<TemplateInfo> {
        let name = crate::clean_name(name, "template name")?;
        let id = uuid::Uuid::new_v4().to_string();
        self.store_template(&Template::from_items(&id, &name, "", items))
    }

    fn store_template(&self, template: &Template) -> Result<TemplateInfo> {
        let json = serde_json::to_string(template)
            .map_err(|e| Error::InvalidData(format!("the template cannot be written: {e}")))?;
        self.set_setting(&format!("{PREFIX}{}", template.id), &json)?;
        Ok(TemplateInfo::of(template, false))
    }

    /// Deletes one of the user's templates; returns whether it existed.
    ///
    /// # Errors
    /// A database error.
    pub fn delete_template(&self, id: &str) -> Result<bool> {
        self.remove_setting(&format!("{PREFIX}{id}"))
    }
}
