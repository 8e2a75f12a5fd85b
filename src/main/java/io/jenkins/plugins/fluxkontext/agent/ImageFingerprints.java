package io.jenkins.plugins.fluxkontext.agent;

import hudson.remoting.VirtualChannel;
import io.jenkins.plugins.fluxkontext.core.engine.TaskPlan;
import io.jenkins.plugins.fluxkontext.core.model.GenerationRequest;
import io.jenkins.plugins.fluxkontext.core.model.ImageRecipe;
import io.jenkins.plugins.fluxkontext.core.model.InvalidRequestException;
import io.jenkins.plugins.fluxkontext.parameters.StepSettings;
import java.io.File;
import java.util.ArrayList;
import java.util.Objects;
import jenkins.MasterToSlaveFileCallable;

/**
 * The fingerprints of every image a step's request would make, computed on the agent, where its input images are (a
 * fingerprint holds their SHA-256): what the controller looks for among the job's earlier builds before the agent
 * job runs. Sends nothing anywhere. A request that cannot be built here gives none; the agent job then says why.
 */
public final class ImageFingerprints extends MasterToSlaveFileCallable<ArrayList<String>> {

    private static final long serialVersionUID = 1L;

    private final StepSettings settings;

    public ImageFingerprints(StepSettings settings) {
        this.settings = settings;
    }

    @Override
    public ArrayList<String> invoke(File workspace, VirtualChannel channel) {
        GenerationRequest request;
        try {
            request = settings.request(workspace.toPath().toAbsolutePath());
        } catch (InvalidRequestException e) {
            return new ArrayList<>();
        }
        ArrayList<String> fingerprints = new ArrayList<>();
        TaskPlan.recipesOf(request, settings.endpoint()).stream()
                .map(ImageRecipe::fingerprint)
                .filter(Objects::nonNull)
                .distinct()
                .forEach(fingerprints::add);
        return fingerprints;
    }
}
