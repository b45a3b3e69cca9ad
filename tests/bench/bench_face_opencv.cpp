// bench_face_opencv.cpp - the anchor for bench_face: OpenCV's
// CascadeClassifier on the same gray frames with the same cascade and
// parameters, one thread, no OpenCL. Built only where pkg-config finds
// opencv4; called from bench_face.c through a C interface, one detection
// per call, so that the caller can time both detectors turn about.
#include <opencv2/core.hpp>
#include <opencv2/core/ocl.hpp>
#include <opencv2/objdetect.hpp>

#include <vector>

extern "C" {
void *bench_opencv_create(const char *cascade);
int bench_opencv_detect(void *h, const unsigned char *gray, int w, int h_, double scale_factor,
                        int min_neighbours, int min_size, int max_size, int *boxes, int max_boxes);
void bench_opencv_destroy(void *h);
}

void *bench_opencv_create(const char *cascade)
{
    cv::setNumThreads(1);
    cv::ocl::setUseOpenCL(false);
    auto *cc = new cv::CascadeClassifier;
    if (!cc->load(cascade)) {
        delete cc;
        return nullptr;
    }
    return cc;
}

// One detectMultiScale; up to max_boxes boxes as x, y, w, h. Returns the
// number of faces.
int bench_opencv_detect(void *h, const unsigned char *gray, int w, int h_, double scale_factor,
                        int min_neighbours, int min_size, int max_size, int *boxes, int max_boxes)
{
    auto *cc = static_cast<cv::CascadeClassifier *>(h);
    cv::Mat img(h_, w, CV_8UC1, const_cast<unsigned char *>(gray));
    std::vector<cv::Rect> faces;
    cc->detectMultiScale(img, faces, scale_factor, min_neighbours, 0, cv::Size(min_size, min_size),
                         cv::Size(max_size, max_size));
    int n = 0;
    for (const cv::Rect &r : faces) {
        if (n == max_boxes)
            break;
        boxes[n * 4 + 0] = r.x;
        boxes[n * 4 + 1] = r.y;
        boxes[n * 4 + 2] = r.width;
        boxes[n * 4 + 3] = r.height;
        n++;
    }
    return (int)faces.size();
}

void bench_opencv_destroy(void *h)
{
    delete static_cast<cv::CascadeClassifier *>(h);
}
