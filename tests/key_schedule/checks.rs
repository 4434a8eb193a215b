//! Test support for `rfc8448_key_schedule`: the count of checks against RFC 8448's values,
//! the record of which value of which block each covered (so a trace can assert that none
//! went unchecked), and which blocks RFC 8448 prints for the key schedule.

use std::collections::BTreeSet;
use std::sync::Mutex;

use crate::common::vectors::{Block, Trace};
use crate::recorder::{Call, Recorder};

#[derive(Default)]
pub struct Checks {
    pub count: usize,
    /// (block index in the trace, value label) of every RFC value checked.
    pub covered: BTreeSet<(usize, String)>,
}

impl Checks {
    /// Asserts `ours == the RFC's value labelled `label` in block `index``.
    pub fn value(&mut self, trace: &Trace, index: usize, label: &str, ours: &[u8]) {
        let block = &trace.blocks[index];
        let rfc = block.get(label);
        assert_eq!(
            hex::encode(ours),
            hex::encode(rfc),
            "RFC 8448 {} [{}] {} / {label}",
            trace.name,
            block.actor,
            block.heading
        );
        self.count += 1;
        self.covered.insert((index, label.to_string()));
    }

    /// Asserts that the library made an HKDF call with the RFC's two inputs `a_label` and
    /// `b_label` of block `index`, and that it output the RFC's `out_label`.
    pub fn hkdf_call(
        &mut self,
        trace: &Trace,
        index: usize,
        calls: &Mutex<Vec<Call>>,
        [a_label, b_label, out_label]: [&str; 3],
    ) {
        let block = &trace.blocks[index];
        let outputs = Recorder::outputs(calls, block.get(a_label), block.get(b_label));
        assert!(
            !outputs.is_empty(),
            "RFC 8448 {} [{}] {}: no HKDF call with this {a_label} and {b_label}",
            trace.name,
            block.actor,
            block.heading
        );
        for out in &outputs {
            self.value(trace, index, out_label, out);
        }
        self.value(trace, index, a_label, block.get(a_label));
        self.value(trace, index, b_label, block.get(b_label));
    }

    /// For a value the library takes as a constant (the Early Secret without a PSK and the
    /// salt derived from it): asserts that no HKDF call was made with the RFC's two inputs,
    /// and that those inputs are `a` and `b`.
    pub fn constant(
        &mut self,
        trace: &Trace,
        index: usize,
        calls: &Mutex<Vec<Call>>,
        [(a_label, a), (b_label, b)]: [(&str, &[u8]); 2],
    ) {
        let block = &trace.blocks[index];
        let outputs = Recorder::outputs(calls, block.get(a_label), block.get(b_label));
        assert!(
            outputs.is_empty(),
            "{}: computed, not a constant",
            block.heading
        );
        self.value(trace, index, a_label, a);
        self.value(trace, index, b_label, b);
    }
}

/// Is this block one that RFC 8448 prints for the key schedule?
pub fn is_key_schedule_block(block: &Block) -> bool {
    const HEADINGS: [&str; 7] = [
        "extract secret",
        "derive secret",
        "derive write traffic keys",
        "derive read traffic keys",
        "calculate finished",
        "calculate PSK binder",
        "generate resumption secret",
    ];
    HEADINGS.iter().any(|h| block.heading.starts_with(h))
}
