package io.jenkins.plugins.inkit.client.model;

import java.io.Serializable;

/**
 * One document of a launched batch, as Inkit answered it: the workflow run's ID ({@code rend_...})
 * and the document's ({@code doc_...}). Either may be {@code null} when Inkit did not give it.
 */
public record LaunchedDocument(String id, String documentId) implements Serializable {}
