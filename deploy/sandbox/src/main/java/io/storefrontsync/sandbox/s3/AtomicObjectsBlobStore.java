package io.storefrontsync.sandbox.s3;

import org.jclouds.blobstore.BlobStore;
import org.jclouds.blobstore.domain.Blob;
import org.jclouds.blobstore.domain.BlobMetadata;
import org.jclouds.blobstore.domain.MultipartPart;
import org.jclouds.blobstore.domain.MultipartUpload;
import org.jclouds.blobstore.options.CopyOptions;
import org.jclouds.blobstore.options.GetOptions;
import org.jclouds.blobstore.options.PutOptions;
import org.jclouds.blobstore.util.ForwardingBlobStore;
import org.jclouds.io.MutableContentMetadata;
import org.jclouds.io.Payload;
import org.jclouds.io.Payloads;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;

/**
 * Gives the filesystem store S3's object semantics: a read sees one whole version of an object,
 * with that version's length and metadata, however often it is being replaced.
 * <p>
 * S3Proxy's filesystem store writes a new version to a temporary file and renames it into place
 * (atomic), but a read takes the size and metadata from the path and then opens the path again: a
 * rename in between served the old Content-Length over the new bytes, i.e. a truncated document
 * that real Spaces never returns. Here a read (which opens the file before returning) and a
 * replacement's rename take turns; a replacement's body is received before it takes its turn, so
 * a slow upload does not hold readers up.
 */
final class AtomicObjectsBlobStore extends ForwardingBlobStore {

    private final ReadWriteLock lock = new ReentrantReadWriteLock();

    AtomicObjectsBlobStore(BlobStore delegate) {
        super(delegate);
    }

    @Override
    public Blob getBlob(String container, String name) {
        return reading(() -> super.getBlob(container, name));
    }

    @Override
    public Blob getBlob(String container, String name, GetOptions options) {
        return reading(() -> super.getBlob(container, name, options));
    }

    @Override
    public BlobMetadata blobMetadata(String container, String name) {
        return reading(() -> super.blobMetadata(container, name));
    }

    @Override
    public String putBlob(String container, Blob blob) {
        receive(blob);
        return writing(() -> super.putBlob(container, blob));
    }

    @Override
    public String putBlob(String container, Blob blob, PutOptions options) {
        receive(blob);
        return writing(() -> super.putBlob(container, blob, options));
    }

    @Override
    public String copyBlob(String fromContainer, String fromName, String toContainer, String toName,
                           CopyOptions options) {
        return writing(() -> super.copyBlob(fromContainer, fromName, toContainer, toName, options));
    }

    @Override
    public String completeMultipartUpload(MultipartUpload mpu, List<MultipartPart> parts) {
        return writing(() -> super.completeMultipartUpload(mpu, parts));
    }

    @Override
    public void removeBlob(String container, String name) {
        writing(() -> {
            super.removeBlob(container, name);
            return null;
        });
    }

    @Override
    public void removeBlobs(String container, Iterable<String> names) {
        writing(() -> {
            super.removeBlobs(container, names);
            return null;
        });
    }

    /** Reads the request body now, keeping the blob's content metadata (type, length, MD5). */
    private static void receive(Blob blob) {
        Payload payload = blob.getPayload();
        if (payload == null || payload.isRepeatable()) {
            return;
        }
        MutableContentMetadata metadata = payload.getContentMetadata();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        // transferTo, not readAllBytes: S3Proxy's aws-chunked stream answers a zero-length read with
        // end-of-stream, which readAllBytes issues once its first 8 KiB buffer is full.
        try (InputStream in = payload.openStream()) {
            in.transferTo(body);
        } catch (IOException e) {
            throw new UncheckedIOException("reading the object's body", e);
        }
        Payload received = Payloads.newByteArrayPayload(body.toByteArray());
        received.setContentMetadata(metadata);
        blob.setPayload(received);
    }

    private <T> T reading(Supplier<T> action) {
        lock.readLock().lock();
        try {
            return action.get();
        } finally {
            lock.readLock().unlock();
        }
    }

    private <T> T writing(Supplier<T> action) {
        lock.writeLock().lock();
        try {
            return action.get();
        } finally {
            lock.writeLock().unlock();
        }
    }
}
