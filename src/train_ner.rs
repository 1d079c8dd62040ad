//! `gazette train-ner`: trains the learned entity recogniser on annotated
//! files (CoNLL form) and measures it on others.
//!
//! Reading the files is here; the annotations, the training and the
//! scores are `analyze::entities::train`'s.

use std::path::{Path, PathBuf};

use crate::analyze::entities::train::{
    evaluate, names_only, read_conll, train, Annotated, LabelMap, Prepared, ReadReport, Scores,
    TrainOptions,
};
use crate::analyze::entities::{EntityRecogniser, Model};
use crate::{Error, Result};

/// What to train on and how.
#[derive(Debug, Clone)]
pub struct TrainSpec {
    /// Files (or folders of them) annotated with names only.
    pub files: Vec<PathBuf>,
    /// Files (or folders) whose annotations span descriptions too
    /// (`the Iraqi Foreign Minister, Ibrahim al-Jaafari`): cut to the names.
    pub descriptive: Vec<PathBuf>,
    /// Files (or folders) to measure the model on, never trained on.
    pub test: Vec<PathBuf>,
    /// From the files' types to gazette's.
    pub labels: LabelMap,
    /// Passes, seed, language.
    pub options: TrainOptions,
}

/// A trained model and what it was trained on.
#[derive(Debug)]
pub struct Trained {
    /// The model.
    pub model: Model,
    /// Sentences and words trained on.
    pub sentences: usize,
    /// Words trained on.
    pub words: usize,
    /// Types the label map does not know and lines without a label.
    pub report: ReadReport,
    /// Scores on the test files, if any were given.
    pub scores: Option<Scores>,
}

/// Trains a model as `spec` says, with the features `recogniser` gives
/// (its authority and cue lists).
pub fn train_ner(spec: &TrainSpec, recogniser: &EntityRecogniser) -> Result<Trained> {
    let mut report = ReadReport::default();
    let mut sentences = Vec::new();
    for (paths, descriptive) in [(&spec.files, false), (&spec.descriptive, true)] {
        for path in files_under(paths)? {
            for mut sentence in read_annotations(&path, &spec.labels, &mut report)? {
                if descriptive {
                    names_only(&mut sentence, recogniser);
                }
                sentences.push(Prepared::new(&sentence, recogniser));
            }
        }
    }
    if sentences.is_empty() {
        return Err(Error::Usage(
            "no annotated sentences in the files given: train-ner needs CoNLL-form files (WORD ... LABEL per line)".into(),
        ));
    }
    let words = sentences.iter().map(Prepared::len).sum();
    let model = train(&sentences, &spec.options);
    let scores = if spec.test.is_empty() {
        None
    } else {
        Some(test_ner(&model, &spec.test, &spec.labels, recogniser)?)
    };
    Ok(Trained {
        model,
        sentences: sentences.len(),
        words,
        report,
        scores,
    })
}

/// Measures `model` on annotated files.
pub fn test_ner(
    model: &Model,
    files: &[PathBuf],
    labels: &LabelMap,
    recogniser: &EntityRecogniser,
) -> Result<Scores> {
    let mut test = Vec::new();
    let mut ignored = ReadReport::default();
    for path in files_under(files)? {
        for sentence in read_annotations(&path, labels, &mut ignored)? {
            test.push(Prepared::new(&sentence, recogniser));
        }
    }
    Ok(evaluate(model, &test))
}

/// Reads a model file.
pub fn read_model(path: &Path) -> Result<Model> {
    let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
    Model::from_bytes(&bytes).map_err(|problem| Error::Model {
        path: path.to_owned(),
        problem,
    })
}

fn read_annotations(
    path: &Path,
    labels: &LabelMap,
    report: &mut ReadReport,
) -> Result<Vec<Annotated>> {
    let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
    let source = path.display().to_string();
    Ok(read_conll(
        &String::from_utf8_lossy(&bytes),
        &source,
        labels,
        report,
    ))
}

/// Names of annotated files, by their extension, taken from a folder
/// (licences and READMEs beside them are not).
const ANNOTATION_EXTENSIONS: &[&str] = &[
    "conll",
    "conllu",
    "bio",
    "iob",
    "iob1",
    "iob2",
    "bioes",
    "tsv",
    "txt",
    "train",
    "testa",
    "testb",
    "dev",
    "annotated",
];

/// The files of `paths`, folders walked for the annotated files in them
/// (by extension), each folder's files in name order: the same files give
/// the same model. A file named on its own is taken whatever its name.
fn files_under(paths: &[PathBuf]) -> Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    for path in paths {
        if path.is_dir() {
            let mut found = Vec::new();
            for entry in walkdir::WalkDir::new(path).sort_by_file_name() {
                let entry = entry.map_err(|e| {
                    let at = e.path().unwrap_or(path).to_owned();
                    Error::io(at, e.into())
                })?;
                let annotated = entry
                    .path()
                    .extension()
                    .and_then(|e| e.to_str())
                    .is_some_and(|e| {
                        ANNOTATION_EXTENSIONS.contains(&e.to_ascii_lowercase().as_str())
                    });
                if entry.file_type().is_file() && annotated {
                    found.push(entry.into_path());
                }
            }
            files.extend(found);
        } else {
            files.push(path.clone());
        }
    }
    Ok(files)
}
