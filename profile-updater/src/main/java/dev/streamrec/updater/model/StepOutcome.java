package dev.streamrec.updater.model;

/** Whether the item side of a step changed the parameters or was dropped to keep them finite. */
public enum StepOutcome {
    APPLIED,
    /** The step would have produced a non-finite value; nothing was written. Count these. */
    DISCARDED
}
