package io.storefrontsync.sandbox.deploy;

import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import javax.xml.parsers.DocumentBuilderFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The modules of the root pom and which of our own modules each depends on, in any scope: Maven's
 * {@code -pl X -am} builds X and all of those, test scope included (a test-scope dependency on a service
 * would build that service, natively under {@code -Dnative}). A module is a Quarkus application when its pom
 * runs the quarkus-maven-plugin.
 */
final class MavenReactor {

    record Module(String dir, String artifactId, Set<String> dependsOn, boolean quarkusApp) {
    }

    private final Map<String, Module> byDir;

    private MavenReactor(Map<String, Module> byDir) {
        this.byDir = byDir;
    }

    static MavenReactor read(Path root) throws Exception {
        Map<String, String> pomArtifacts = new LinkedHashMap<>();
        Map<String, Element> poms = new LinkedHashMap<>();
        Document parent = parse(root.resolve("pom.xml"));
        String groupId = text(parent.getDocumentElement(), "groupId");
        NodeList modules = parent.getElementsByTagName("module");
        for (int i = 0; i < modules.getLength(); i++) {
            String dir = modules.item(i).getTextContent().strip();
            Element pom = parse(root.resolve(dir).resolve("pom.xml")).getDocumentElement();
            poms.put(dir, pom);
            pomArtifacts.put(text(pom, "artifactId"), dir);
        }
        Map<String, Module> byDir = new LinkedHashMap<>();
        poms.forEach((dir, pom) -> {
            Set<String> deps = new TreeSet<>();
            NodeList dependencies = pom.getElementsByTagName("dependency");
            for (int i = 0; i < dependencies.getLength(); i++) {
                Element dependency = (Element) dependencies.item(i);
                String group = text(dependency, "groupId");
                String artifact = text(dependency, "artifactId");
                boolean ours = groupId.equals(group) || "${project.groupId}".equals(group);
                if (ours && pomArtifacts.containsKey(artifact)) {
                    deps.add(pomArtifacts.get(artifact));
                }
            }
            boolean quarkus = pom.getTextContent().contains("quarkus-maven-plugin");
            byDir.put(dir, new Module(dir, text(pom, "artifactId"), deps, quarkus));
        });
        return new MavenReactor(byDir);
    }

    /** A copy in which {@code dir} also depends on {@code dependency}: for tests that need a wrong reactor. */
    MavenReactor withDependency(String dir, String dependency) {
        Map<String, Module> copy = new LinkedHashMap<>(byDir);
        Module m = copy.get(dir);
        Set<String> deps = new TreeSet<>(m.dependsOn());
        deps.add(dependency);
        copy.put(dir, new Module(m.dir(), m.artifactId(), deps, m.quarkusApp()));
        return new MavenReactor(copy);
    }

    List<String> moduleDirs() {
        return new ArrayList<>(byDir.keySet());
    }

    /** What {@code -pl selected [-am]} builds; no {@code -pl} builds every module. */
    Set<String> selection(List<String> selected, boolean alsoMake) {
        if (selected.isEmpty()) {
            return new LinkedHashSet<>(byDir.keySet());
        }
        Set<String> built = new LinkedHashSet<>();
        Deque<String> todo = new ArrayDeque<>(selected);
        while (!todo.isEmpty()) {
            String dir = todo.pop();
            Module m = byDir.get(dir);
            if (m == null) {
                throw new IllegalArgumentException("-pl names " + dir + ", which is no module of the root pom " + byDir.keySet());
            }
            if (built.add(dir) && alsoMake) {
                todo.addAll(m.dependsOn());
            }
        }
        return built;
    }

    Set<String> quarkusApps(Set<String> dirs) {
        Set<String> apps = new TreeSet<>();
        dirs.stream().filter(d -> byDir.get(d).quarkusApp()).forEach(apps::add);
        return apps;
    }

    private static Document parse(Path pom) throws Exception {
        if (!Files.isRegularFile(pom)) {
            throw new IllegalStateException("no pom at " + pom);
        }
        return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(pom.toFile());
    }

    /** The text of a direct child element, or "" (a dependency's own groupId, not its exclusions'). */
    private static String text(Element parent, String child) {
        for (var n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && e.getTagName().equals(child)) {
                return e.getTextContent().strip();
            }
        }
        return "";
    }
}
