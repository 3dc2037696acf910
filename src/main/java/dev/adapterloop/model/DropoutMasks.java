package dev.adapterloop.model;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.SplittableRandom;

/**
 * Inverted dropout, {@code x·mask} with each element of the mask {@code 1/(1−p)} with probability {@code 1−p} and 0
 * otherwise, whose masks are drawn here rather than by libtorch.
 *
 * <p>Why: libtorch 2.7's CPU {@code bernoulli_} (what its {@code dropout} draws the mask with) is a serial loop over a
 * Mersenne twister, about 9 ns an element whatever the thread count, followed by a division and a product. Training
 * the bundled encoder as the product does (BERT's dropouts and adapter dropout at 0.1) draws ~38 million mask elements
 * a step: profiled at one thread, 339 ms of a 1.28 s step, and the same 339 ms at two threads, where it was 40 % of
 * the step. Here the mask is written in place into a libtorch array of {@code x}'s type, two elements per draw of a
 * splittable generator, already scaled: dropout is then one product forward and one backward.
 *
 * <p>Masks are the same on every device (drawn on the CPU, moved to the array's device) and at every thread count,
 * and reproducible: each thread has its own generator, which the trainers reseed at every step ({@link #seed}), so a
 * resumed job draws the masks the uninterrupted one would have. The keep test compares 32 random bits with
 * {@code (1−p)·2³²}, exact to 2⁻³² in the probability.
 */
public final class DropoutMasks {

    private static final double TWO_TO_32 = 4294967296.0;
    private static final ThreadLocal<SplittableRandom> RANDOM = ThreadLocal.withInitial(() -> new SplittableRandom(0));

    private DropoutMasks() {
    }

    /** Restarts this thread's masks from {@code seed}, e.g. at every training step. */
    public static void seed(long seed) {
        RANDOM.set(new SplittableRandom(seed));
    }

    /**
     * {@code x} with dropout {@code p} applied while {@code training}; {@code x} itself otherwise or when {@code p}
     * is 0. Differentiable in {@code x}.
     */
    public static NDArray dropout(NDArray x, float p, boolean training) {
        if (!training || p == 0f) {
            return x;
        }
        try (NDArray mask = mask(x, p)) {
            return x.mul(mask);
        }
    }

    /**
     * The scaled mask for {@code x}: {@code x}'s shape, type and device, each element {@code 1/(1−p)} with
     * probability {@code 1−p}, else 0.
     */
    static NDArray mask(NDArray x, float p) {
        if (!(p > 0f && p < 1f)) {
            throw new IllegalArgumentException("dropout probability must be in (0, 1), got " + p);
        }
        DataType type = x.getDataType();
        int width = switch (type) {
            case FLOAT32 -> 4;
            case FLOAT16, BFLOAT16 -> 2;
            default -> throw new IllegalArgumentException("dropout applies to floating-point arrays, got " + type);
        };
        long size = x.getShape().size();
        NDManager manager = x.getManager();
        NDArray mask = x.getDevice().equals(Device.cpu()) ? manager.create(x.getShape(), type)
                : manager.create(x.getShape(), type, Device.cpu());
        ByteBuffer memory = mask.toByteBuffer(true);
        if (!memory.isDirect() || memory.capacity() != size * width) {
            mask.close();
            throw new IllegalStateException("the engine gave no direct view of a new CPU array");
        }
        write(memory.order(ByteOrder.nativeOrder()), size, width, keepThreshold(p), scaleBits(type, 1.0 / (1.0 - p)));
        if (mask.getDevice().equals(x.getDevice())) {
            return mask;
        }
        try (mask) {
            return mask.toDevice(x.getDevice(), true);
        }
    }

    /** Fills {@code size} elements of {@code width} bytes: {@code kept} where a 32-bit draw is below the threshold. */
    private static void write(ByteBuffer memory, long size, int width, long threshold, long kept) {
        SplittableRandom random = RANDOM.get();
        int position = 0;
        long remaining = size;
        if (width == 4) {
            for (; remaining >= 2; remaining -= 2, position += 8) {
                long bits = random.nextLong();
                long low = (bits & 0xFFFF_FFFFL) < threshold ? kept : 0L;
                long high = (bits >>> 32) < threshold ? kept : 0L;
                memory.putLong(position, low | high << 32);
            }
            if (remaining == 1) {
                memory.putInt(position, (random.nextLong() >>> 32) < threshold ? (int) kept : 0);
            }
        } else {
            for (; remaining >= 4; remaining -= 4, position += 8) {
                long packed = 0;
                for (int half = 0; half < 2; half++) {
                    long bits = random.nextLong();
                    packed |= ((bits & 0xFFFF_FFFFL) < threshold ? kept : 0L) << (32 * half);
                    packed |= ((bits >>> 32) < threshold ? kept : 0L) << (32 * half + 16);
                }
                memory.putLong(position, packed);
            }
            for (; remaining > 0; remaining--, position += 2) {
                memory.putShort(position, (short) ((random.nextLong() >>> 32) < threshold ? kept : 0));
            }
        }
    }

    /** Unsigned 32-bit draws below this keep their element: {@code round((1−p)·2³²)}. */
    static long keepThreshold(float p) {
        return Math.round((1.0 - p) * TWO_TO_32);
    }

    /** The bits of {@code value} in {@code type}, as an unsigned number of the type's width. */
    static long scaleBits(DataType type, double value) {
        float single = (float) value;
        return switch (type) {
            case FLOAT32 -> Float.floatToRawIntBits(single) & 0xFFFF_FFFFL;
            case FLOAT16 -> Float.floatToFloat16(single) & 0xFFFFL;
            case BFLOAT16 -> bfloat16(single);
            default -> throw new IllegalArgumentException("no mask for " + type);
        };
    }

    /** {@code value} rounded to bfloat16 (to nearest, ties to even), as libtorch rounds. */
    private static long bfloat16(float value) {
        int bits = Float.floatToRawIntBits(value);
        int rounded = bits + 0x7FFF + ((bits >>> 16) & 1);
        return (rounded >>> 16) & 0xFFFFL;
    }
}
