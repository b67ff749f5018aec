//! Pipelines: ordered stages with a default probability, and the rules a pipeline must keep.

use std::collections::HashSet;

use crm_api_types::pipelines::{PipelineRequest, StageKind};
use uuid::Uuid;

use crate::validation::{FieldErrors, Violation};

const NAME_MAX: usize = 50;
const STAGE_NAME_MAX: usize = 30;
const STAGES_MIN: usize = 3;
const STAGES_MAX: usize = 20;

/// One stage as stored: `id` is `None` for a stage the request adds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StageFields {
    pub id: Option<Uuid>,
    pub name: String,
    pub kind: StageKind,
    pub probability: u8,
}

/// A valid pipeline: 3–20 stages with distinct names, at least one open, one won and one
/// lost; won stages at 100%, lost ones at 0%.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PipelineFields {
    pub name: String,
    pub is_default: Option<bool>,
    pub stages: Vec<StageFields>,
}

impl PipelineFields {
    pub fn parse(request: &PipelineRequest) -> Result<Self, FieldErrors> {
        let mut errors = FieldErrors::new();
        let name = errors.required_text("name", &request.name, NAME_MAX);
        if !(STAGES_MIN..=STAGES_MAX).contains(&request.stages.len()) {
            errors.add(
                "stages",
                Violation::OutOfRange {
                    min: STAGES_MIN as i64,
                    max: STAGES_MAX as i64,
                },
            );
        }
        let mut names = HashSet::new();
        let mut ids = HashSet::new();
        let stages: Vec<StageFields> = request
            .stages
            .iter()
            .enumerate()
            .map(|(i, stage)| {
                let name =
                    errors.required_text(&format!("stages[{i}].name"), &stage.name, STAGE_NAME_MAX);
                if !names.insert(name.clone()) {
                    errors.add(&format!("stages[{i}].name"), Violation::Duplicate);
                }
                if let Some(id) = stage.id
                    && !ids.insert(id)
                {
                    errors.add(&format!("stages[{i}].id"), Violation::Duplicate);
                }
                let kind = stage.kind.unwrap_or(StageKind::Open);
                let probability = match kind {
                    StageKind::Won => 100,
                    StageKind::Lost => 0,
                    StageKind::Open => {
                        if stage.probability > 100 {
                            errors.add(
                                &format!("stages[{i}].probability"),
                                Violation::OutOfRange { min: 0, max: 100 },
                            );
                        }
                        stage.probability
                    }
                };
                StageFields {
                    id: stage.id,
                    name,
                    kind,
                    probability,
                }
            })
            .collect();
        for kind in StageKind::ALL {
            if !stages.iter().any(|s| s.kind == kind) {
                errors.add(&format!("stages.{}", kind.as_str()), Violation::Required);
            }
        }
        errors.finish(Self {
            name,
            is_default: request.is_default,
            stages,
        })
    }

    /// The pipeline every tenant starts with (a typical B2B sale in China).
    pub fn standard() -> Self {
        let stage = |name: &str, kind, probability| StageFields {
            id: None,
            name: name.to_owned(),
            kind,
            probability,
        };
        Self {
            name: "标准销售流程".to_owned(),
            is_default: Some(true),
            stages: vec![
                stage("初步接洽", StageKind::Open, 10),
                stage("需求确认", StageKind::Open, 25),
                stage("方案/报价", StageKind::Open, 50),
                stage("商务谈判", StageKind::Open, 75),
                stage("赢单", StageKind::Won, 100),
                stage("输单", StageKind::Lost, 0),
            ],
        }
    }
}

#[cfg(test)]
mod tests {
    use crm_api_types::pipelines::StageRequest;

    use super::*;

    fn stage(name: &str, kind: Option<StageKind>, probability: u8) -> StageRequest {
        StageRequest {
            id: None,
            name: name.into(),
            kind,
            probability,
        }
    }

    #[test]
    fn won_and_lost_probabilities_are_fixed() {
        let request = PipelineRequest {
            name: "项目".into(),
            is_default: None,
            stages: vec![
                stage("接洽", None, 10),
                stage("赢", Some(StageKind::Won), 40),
                stage("输", Some(StageKind::Lost), 40),
            ],
        };
        let fields = PipelineFields::parse(&request).unwrap_or_else(|e| panic!("{e:?}"));
        let probabilities: Vec<_> = fields.stages.iter().map(|s| s.probability).collect();
        assert_eq!(probabilities, [10, 100, 0]);
    }

    #[test]
    fn a_pipeline_needs_an_open_a_won_and_a_lost_stage_with_distinct_names() {
        let request = PipelineRequest {
            name: "坏".into(),
            is_default: None,
            stages: vec![
                stage("接洽", None, 101),
                stage("接洽", None, 10),
                stage("赢", Some(StageKind::Won), 100),
            ],
        };
        let errors = PipelineFields::parse(&request).err().unwrap_or_default();
        let found: Vec<_> = errors
            .iter()
            .map(|(f, v)| (f.to_owned(), v.code()))
            .collect();
        assert_eq!(
            found,
            [
                ("stages[0].probability".to_owned(), "out_of_range"),
                ("stages[1].name".to_owned(), "duplicate"),
                ("stages.lost".to_owned(), "required"),
            ]
        );
    }

    #[test]
    fn the_standard_pipeline_is_valid() {
        let standard = PipelineFields::standard();
        let request = PipelineRequest {
            name: standard.name.clone(),
            is_default: Some(true),
            stages: standard
                .stages
                .iter()
                .map(|s| stage(&s.name, Some(s.kind), s.probability))
                .collect(),
        };
        assert_eq!(
            PipelineFields::parse(&request).unwrap_or_else(|e| panic!("{e:?}")),
            standard
        );
    }
}
