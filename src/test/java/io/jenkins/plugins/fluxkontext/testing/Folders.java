package io.jenkins.plugins.fluxkontext.testing;

import com.cloudbees.hudson.plugins.folder.AbstractFolder;
import hudson.model.Job;
import hudson.model.TopLevelItem;
import hudson.tasks.Builder;
import java.util.List;
import org.jvnet.hudson.test.JenkinsRule;

/**
 * Folders (cloudbees-folder's {@code Folder}) and freestyle jobs in them, for the JenkinsRule tests. The calls are
 * ordinary ones (JenkinsRule#createProject(Folder.class, name), Folder#createProject(type, name),
 * FreeStyleProject#getBuildersList) made through reflection, because Folder and FreeStyleProject cannot be declared
 * exactly in jenkins-api-stubs: their concrete declarations need every member they implement, and
 * FreeStyleProject's reach hudson.model.RunMap. On a real Jenkins this runs as plain calls would.
 */
public final class Folders {

    private static final String FOLDER = "com.cloudbees.hudson.plugins.folder.Folder";

    private Folders() {}

    /** A folder at the top of Jenkins. */
    public static AbstractFolder<?> topLevel(JenkinsRule r, String name) throws Exception {
        Class<? extends TopLevelItem> type = Class.forName(FOLDER).asSubclass(TopLevelItem.class);
        return (AbstractFolder<?>) r.createProject(type, name);
    }

    /** A folder inside {@code parent}. */
    public static AbstractFolder<?> inside(AbstractFolder<?> parent, String name) throws Exception {
        return (AbstractFolder<?>) create(parent, Class.forName(FOLDER), name);
    }

    /** A freestyle job inside {@code parent} with these build steps, in order. */
    @SuppressWarnings("unchecked")
    public static Job<?, ?> freestyle(AbstractFolder<?> parent, String name, Builder... steps) throws Exception {
        Object project = create(parent, Class.forName("hudson.model.FreeStyleProject"), name);
        List<Builder> builders =
                (List<Builder>) project.getClass().getMethod("getBuildersList").invoke(project);
        builders.addAll(List.of(steps));
        return (Job<?, ?>) project;
    }

    /** The folder of this full name in the current Jenkins ({@code Jenkins#getItemByFullName}). */
    public static AbstractFolder<?> named(JenkinsRule r, String fullName) throws Exception {
        Object jenkins = JenkinsRule.class.getField("jenkins").get(r);
        return (AbstractFolder<?>) jenkins.getClass()
                .getMethod("getItemByFullName", String.class, Class.class)
                .invoke(jenkins, fullName, AbstractFolder.class);
    }

    private static Object create(AbstractFolder<?> parent, Class<?> type, String name) throws Exception {
        return parent.getClass()
                .getMethod("createProject", Class.class, String.class)
                .invoke(parent, type, name);
    }
}
