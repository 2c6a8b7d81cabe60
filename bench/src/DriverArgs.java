import java.nio.file.Path;
import java.util.function.BiConsumer;

/**
 * The command line of a driver that bench/run-java.sh starts: {@code --name value} pairs, {@code --work} among them.
 * Each driver says what a name sets; a name without a value, or one the driver does not take, stops the run.
 */
final class DriverArgs {

    private DriverArgs() {
    }

    /** Gives each name and its value, in order, to {@code option}, which throws {@link #unknown} for a name it does not take. */
    static void each(String[] args, BiConsumer<String, String> option) {
        for (int i = 0; i < args.length; i += 2) {
            String name = args[i];
            String value = i + 1 < args.length ? args[i + 1] : null;
            if (value == null) {
                throw new IllegalArgumentException(name + " needs a value");
            }
            option.accept(name, value);
        }
    }

    static IllegalArgumentException unknown(String name) {
        return new IllegalArgumentException("unknown option " + name);
    }

    /** Fails unless the work directory was given. */
    static void requireWork(Path work) {
        if (work == null) {
            throw new IllegalArgumentException("--work DIR is required");
        }
    }
}
