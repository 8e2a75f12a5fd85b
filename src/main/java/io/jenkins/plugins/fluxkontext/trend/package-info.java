/**
 * The job page's trend of what FLUX.1 Kontext requests cost and made, build by build, drawn with the ECharts API
 * plugin's library from a JSON endpoint of this plugin.
 */
package io.jenkins.plugins.fluxkontext.trend;
