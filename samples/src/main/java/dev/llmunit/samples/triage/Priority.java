package dev.llmunit.samples.triage;

/** How soon support must answer a ticket, from least to most pressing. */
public enum Priority {
    /** Answer within a week: questions and wishes. */
    LOW,
    /** Answer within two working days: the default. */
    NORMAL,
    /** Answer the same day: the customer is blocked or charged wrongly. */
    HIGH,
    /** Answer within the hour: an outage, data loss or a security issue. */
    URGENT
}
