package com.enterprisehub.geo.platform;

/** The state of one journaled step. */
public enum StepStatus {
    /** Started and not finished: the process may have died; running the operation again repeats it. */
    STARTED,
    /** Finished; running the operation again skips it. */
    DONE,
    /** Failed with an error; running the operation again repeats it. */
    FAILED
}
