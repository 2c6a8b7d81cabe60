package io.storefrontsync.sandbox.deploy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Dockerfile read the way {@code docker build} reads it, as far as our checks need: continuation lines
 * joined, comments dropped, global {@code ARG} defaults substituted into {@code FROM}, instructions grouped by
 * stage. Not a full parser (no heredocs, no escape directive): our Dockerfiles use neither.
 */
final class Dockerfile {

    record Instruction(String keyword, String arguments) {
    }

    record Stage(String image, String name, List<Instruction> instructions) {

        List<String> all(String keyword) {
            return instructions.stream().filter(i -> i.keyword().equals(keyword)).map(Instruction::arguments).toList();
        }

        Optional<String> last(String keyword) {
            List<String> all = all(keyword);
            return all.isEmpty() ? Optional.empty() : Optional.of(all.get(all.size() - 1));
        }

        /** {@code ENV KEY=value} (quotes removed), the last one winning. */
        Optional<String> env(String key) {
            Optional<String> value = Optional.empty();
            for (String env : all("ENV")) {
                Matcher m = Pattern.compile("(?:^|\\s)" + Pattern.quote(key) + "=(\"[^\"]*\"|\\S+)").matcher(env);
                if (m.find()) {
                    value = Optional.of(m.group(1).replaceAll("^\"|\"$", ""));
                }
            }
            return value;
        }
    }

    private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)}|\\$([A-Za-z_][A-Za-z0-9_]*)");

    final Map<String, String> globalArgs = new LinkedHashMap<>();
    final List<Stage> stages = new ArrayList<>();

    Dockerfile(String text) {
        StringBuilder logical = new StringBuilder();
        for (String line : text.split("\n", -1)) {
            String stripped = line.strip();
            if (stripped.startsWith("#") || (stripped.isEmpty() && logical.isEmpty())) {
                continue;
            }
            if (stripped.endsWith("\\")) {
                logical.append(stripped, 0, stripped.length() - 1).append(' ');
                continue;
            }
            logical.append(stripped);
            add(logical.toString().strip());
            logical.setLength(0);
        }
        if (!logical.isEmpty()) {
            add(logical.toString().strip());
        }
    }

    Stage last() {
        return stages.get(stages.size() - 1);
    }

    /** Every stage but the last: what builds, never what runs. */
    List<Stage> builders() {
        return stages.subList(0, stages.size() - 1);
    }

    private void add(String line) {
        if (line.isEmpty()) {
            return;
        }
        String[] parts = line.split("\\s+", 2);
        String keyword = parts[0].toUpperCase();
        String arguments = parts.length > 1 ? parts[1].strip() : "";
        if (keyword.equals("FROM")) {
            String[] from = arguments.split("\\s+");
            String image = substitute(from[0]);
            String name = from.length >= 3 && from[1].equalsIgnoreCase("AS") ? from[2] : "";
            stages.add(new Stage(image, name, new ArrayList<>()));
        } else if (stages.isEmpty()) {
            if (keyword.equals("ARG")) {
                String[] arg = arguments.split("=", 2);
                globalArgs.put(arg[0].strip(), arg.length > 1 ? arg[1].strip() : "");
            }
        } else {
            last().instructions().add(new Instruction(keyword, arguments));
        }
    }

    private String substitute(String text) {
        Matcher m = VARIABLE.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String name = m.group(1) != null ? m.group(1) : m.group(2);
            m.appendReplacement(out, Matcher.quoteReplacement(globalArgs.getOrDefault(name, "")));
        }
        m.appendTail(out);
        return out.toString();
    }
}
